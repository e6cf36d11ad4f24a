import { parse, type ParseResult, type ParserOptions, type ParserPlugin } from '@babel/parser';
import type { File } from '@babel/types';
import { lineEnd, repairs, truncateAt } from './repair';

export interface ParseProblem {
  /** Offset into the original input (clamped to its length). */
  offset: number;
  message: string;
}

export interface ParsedSource {
  /** Undefined when no repair made the input parse. */
  ast: ParseResult<File> | undefined;
  /** Babel's recovered errors plus every fatal error a repair worked around. */
  problems: ParseProblem[];
  /** Offset from which the input went unparsed because repairs ran out. */
  truncatedAt?: number;
}

type Attempt = { ast: ParseResult<File>; consumed: number } | { fatal: ParseProblem; consumed: number; located: boolean };

const TSX: ParserPlugin[] = ['typescript', 'jsx', 'decorators-legacy'];
const TS: ParserPlugin[] = ['typescript', 'decorators-legacy'];
const JSX: ParserPlugin[] = ['jsx', 'decorators-legacy'];

// Both limits keep a badly broken 1 MB input to a few seconds of parsing; counting
// the characters babel consumed rather than time keeps results deterministic.
const MAX_REPAIRS = 24;
const PARSE_BUDGET_CHARS = 3_000_000;

const BASE_OPTIONS: ParserOptions = {
  sourceType: 'unambiguous',
  errorRecovery: true,
  // Inputs are often snippets rather than whole modules.
  allowReturnOutsideFunction: true,
  allowAwaitOutsideFunction: true,
};

/** The filename's JavaScript/TypeScript extension in lower case (`ts`, `mjs`, …), else ''. */
export function sourceExtension(filename = ''): string {
  return /\.([cm]?[jt]sx?)$/i.exec(filename)?.[1]?.toLowerCase() ?? '';
}

/**
 * Plugin sets to try, best guess first: the language option limits them, the
 * filename's extension orders them, and TypeScript+JSX comes first otherwise
 * (it accepts plain JavaScript too). TypeScript without JSX is there for `<T>x` casts.
 */
function candidates(language: 'auto' | 'javascript' | 'typescript', filename?: string): [ParserPlugin[], ...ParserPlugin[][]] {
  const ext = sourceExtension(filename);
  const tsFirst: [ParserPlugin[], ParserPlugin[]] = ['ts', 'mts', 'cts'].includes(ext) ? [TS, TSX] : [TSX, TS];
  if (language === 'javascript') return [JSX];
  if (language === 'typescript') return tsFirst;
  if (['js', 'jsx', 'mjs', 'cjs'].includes(ext)) return [JSX, TSX];
  return [...tsFirst, JSX];
}

function attempt(text: string, plugins: ParserPlugin[]): Attempt {
  try {
    return { ast: parse(text, { ...BASE_OPTIONS, plugins }), consumed: text.length };
  } catch (error) {
    const pos = (error as { pos?: unknown }).pos;
    if (error instanceof SyntaxError && typeof pos === 'number') {
      return { fatal: { offset: pos, message: error.message }, consumed: pos, located: true };
    }
    // Babel recurses per nesting level; absurdly deep input overflows the stack.
    const message = error instanceof RangeError ? 'input is nested too deeply to parse' : String(error);
    return { fatal: { offset: 0, message }, consumed: text.length, located: false };
  }
}

/** Problems in input offsets, without babel's "(line:column)" suffix, each recorded once. */
class ProblemList {
  readonly items: ParseProblem[] = [];
  private readonly seen = new Set<string>();

  constructor(
    private readonly inputLength: number,
    private readonly contentEnd: number,
  ) {}

  add(problem: ParseProblem): void {
    let message = problem.message.replace(/\s*\(\d+:\d+\)$/, '');
    // Past the last content babel's "Unexpected token" means the input stopped short.
    if (problem.offset >= this.contentEnd) message = message.replace(/^Unexpected token/, 'Unexpected end of input');
    const offset = Math.min(problem.offset, this.inputLength);
    const key = `${offset}:${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.items.push({ offset, message });
  }

  /** Notes on the last problem that parsing stopped there. */
  markCut(): void {
    const last = this.items[this.items.length - 1];
    if (last) last.message += '; the rest of the input was not analysed';
  }
}

/** The first clean parse among the candidate plugin sets, else the one that got furthest. */
function choosePlugins(input: string, sets: [ParserPlugin[], ...ParserPlugin[][]]) {
  const [first, ...others] = sets;
  let best = { plugins: first, result: attempt(input, first) };
  let consumed = best.result.consumed;
  for (const plugins of others) {
    if (isClean(best.result)) break;
    const result = attempt(input, plugins);
    consumed += result.consumed;
    if (better(result, best.result)) best = { plugins, result };
  }
  return { ...best, consumed };
}

/**
 * Parses with the best-fitting plugins. Babel recovers from some errors itself; for
 * a fatal one the input is repaired and parsed again, a bounded number of times;
 * when repairs run out, the part before the last error is analysed alone.
 */
export function parseSource(input: string, language: 'auto' | 'javascript' | 'typescript', filename?: string): ParsedSource {
  const contentEnd = input.trimEnd().length;
  const chosen = choosePlugins(input, candidates(language, filename));
  const problems = new ProblemList(input.length, contentEnd);
  let budget = PARSE_BUDGET_CHARS - chosen.consumed;
  let text = input;
  let result = chosen.result;
  let truncatedAt: number | undefined;
  for (let step = 0; !('ast' in result); step++) {
    problems.add(result.fatal);
    if (!result.located) return { ast: undefined, problems: problems.items };
    const options = step < MAX_REPAIRS && budget > 0 ? repairs(text, contentEnd, result.fatal.offset, result.fatal.message) : [];
    if (options.length === 0) {
      const truncated = truncateAt(text, result.fatal.offset);
      const last = attempt(truncated.text, chosen.plugins);
      if (!('ast' in last)) return { ast: undefined, problems: problems.items };
      problems.markCut();
      [result, truncatedAt] = [last, truncated.cut];
      break;
    }
    const errorLineEnd = lineEnd(text, result.fatal.offset);
    let next: { text: string; result: Attempt } | undefined;
    for (const option of options) {
      const tried = attempt(option, chosen.plugins);
      budget -= tried.consumed;
      if (!next || better(tried, next.result)) next = { text: option, result: tried };
      // Parsing got past the line that failed: good enough, skip the other options.
      if ('ast' in tried || tried.fatal.offset > errorLineEnd) break;
    }
    if (next) [text, result] = [next.text, next.result];
  }
  for (const e of result.ast.errors ?? []) problems.add({ offset: e.pos, message: e.message });
  return { ast: result.ast, problems: problems.items, truncatedAt };
}

const isClean = (a: Attempt): boolean => 'ast' in a && !a.ast.errors?.length;

/** A parse with an AST beats one without; then fewer errors, or a fatal error further in. */
function better(a: Attempt, b: Attempt): boolean {
  if ('ast' in a) return !('ast' in b) || (a.ast.errors?.length ?? 0) < (b.ast.errors?.length ?? 0);
  return !('ast' in b) && a.fatal.offset > b.fatal.offset;
}
