// Words after which a `/` starts a regular expression rather than a division.
const EXPRESSION_KEYWORDS = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
// Stack entry for a `${` inside a template: its `}` resumes the template.
const TEMPLATE_HOLE = '}`';

// Sticky, so runs are skipped from a given index without slicing.
const SPACES = /\s+/y;
const WORD = /[\w$\u0080-\uffff]+/y;

/** Index past the run of `pattern` at `i`, or `i` when there is none. */
function skipRun(pattern: RegExp, text: string, i: number): number {
  pattern.lastIndex = i;
  return pattern.test(text) ? pattern.lastIndex : i;
}

/** Index just past the string literal opened at `i`, or -1 if it never closes on its line. */
function skipString(text: string, i: number): number {
  const quote = text[i];
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') j++;
    else if (c === quote) return j + 1;
    else if (c === '\n' || c === '\r') return -1;
  }
  return -1;
}

/** Index just past the regular expression opened at `i` (flags included), or -1. */
function skipRegExp(text: string, i: number): number {
  let inClass = false;
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') j++;
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) {
      let k = j + 1;
      while (k < text.length && /[a-z]/i.test(text[k] ?? '')) k++;
      return k;
    } else if (c === '\n' || c === '\r') return -1;
  }
  return -1;
}

/**
 * Template text from `i` (just after a backtick or a hole's `}`): the index past the
 * closing backtick (`hole` false) or past the next `${` (`hole` true), or -1 at the end.
 */
function skipTemplate(text: string, i: number): { end: number; hole: boolean } {
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') j++;
    else if (c === '`') return { end: j + 1, hole: false };
    else if (c === '$' && text[j + 1] === '{') return { end: j + 2, hole: true };
  }
  return { end: -1, hole: false };
}

/**
 * The closers that would balance the brackets still open at the end of `text`,
 * innermost first; undefined when the text ends inside a literal or comment, or
 * closes a bracket it never opened. A heuristic tokenizer for repairing truncated
 * input: it does not know JSX text, and takes `/` after a value for division.
 */
export function missingClosers(text: string): string | undefined {
  const stack: string[] = [];
  let afterValue = false;
  let i = 0;
  const resumeTemplate = (from: number): boolean => {
    const { end, hole } = skipTemplate(text, from);
    if (hole) stack.push(TEMPLATE_HOLE);
    i = end;
    afterValue = true;
    return end >= 0;
  };
  while (i < text.length) {
    const c = text[i] ?? '';
    const next = text[i + 1];
    if (skipRun(SPACES, text, i) > i) {
      i = SPACES.lastIndex;
    } else if (c === '/' && next === '/') {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return undefined;
      i = end + 2;
    } else if (c === '"' || c === "'" || (c === '/' && !afterValue)) {
      i = c === '/' ? skipRegExp(text, i) : skipString(text, i);
      if (i < 0) return undefined;
      afterValue = true;
    } else if (c === '`') {
      if (!resumeTemplate(i + 1)) return undefined;
    } else if (c in OPENERS) {
      stack.push(OPENERS[c] ?? '');
      afterValue = false;
      i++;
    } else if (c === ')' || c === ']' || c === '}') {
      const open = stack.pop();
      if (open === TEMPLATE_HOLE && c === '}') {
        if (!resumeTemplate(i + 1)) return undefined;
        continue;
      }
      if (open !== c) return undefined;
      afterValue = true;
      i++;
    } else if (skipRun(WORD, text, i) > i) {
      afterValue = !EXPRESSION_KEYWORDS.has(text.slice(i, WORD.lastIndex));
      i = WORD.lastIndex;
    } else {
      afterValue = false;
      i++;
    }
  }
  return stack.reverse().join('');
}
