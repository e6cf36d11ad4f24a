import { missingClosers } from './closers';

// Repairs keep every offset of the input in place (lines are blanked, closers only
// appended), so AST locations stay valid for the original text.

const isTerminator = (c: number): boolean => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;

function lineStart(text: string, offset: number): number {
  let start = offset;
  while (start > 0 && !isTerminator(text.charCodeAt(start - 1))) start--;
  return start;
}

export function lineEnd(text: string, offset: number): number {
  let end = offset;
  while (end < text.length && !isTerminator(text.charCodeAt(end))) end++;
  return end;
}

/** [start, end) of the nearest line before the one starting at `start` that has any content. */
function previousContentLine(text: string, start: number): [number, number] | undefined {
  for (let end = start - 1; end > 0;) {
    if (text.charCodeAt(end) === 10 && text.charCodeAt(end - 1) === 13) end--;
    const from = lineStart(text, end);
    if (text.slice(from, end).trim() !== '') return [from, end];
    end = from - 1;
  }
  return undefined;
}

const blank = (text: string, start: number, end: number): string => text.slice(0, start) + ' '.repeat(end - start) + text.slice(end);

/**
 * Texts that may get past a fatal error at `offset`, most promising first. Past the
 * input's last content: the closers of the brackets still open, else the one babel
 * expected. Elsewhere: the offending line blanked; when the error is the line's
 * first token, blanking the previous line comes first (an unfinished statement
 * there is the usual cause).
 */
export function repairs(text: string, contentEnd: number, offset: number, message: string): string[] {
  if (offset >= contentEnd) {
    const closers = missingClosers(text) || (/expected "([)\]}])"/.exec(message)?.[1] ?? '}');
    return [`${text}\n${closers}`];
  }
  const start = lineStart(text, offset);
  const options = [blank(text, start, lineEnd(text, offset))];
  const previous = text.slice(start, offset).trim() === '' ? previousContentLine(text, start) : undefined;
  if (previous) options.unshift(blank(text, ...previous));
  return options.filter((option) => option !== text);
}

/** The text up to the line holding `offset`, with the brackets left open there closed. */
export function truncateAt(text: string, offset: number): { text: string; cut: number } {
  const cut = lineStart(text, offset);
  const prefix = text.slice(0, cut);
  return { text: `${prefix}\n${missingClosers(prefix) ?? ''}`, cut };
}
