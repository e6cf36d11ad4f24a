import type { LineCounts } from './schema';

export interface Position {
  line: number;
  column: number;
}

const isTerminator = (c: number): boolean => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;

/**
 * Line starts of a text, split on the same terminators babel uses (\n, \r\n, \r,
 * U+2028, U+2029) so positions computed here agree with AST locations.
 */
export class LineIndex {
  private readonly starts: number[] = [0];
  /** Number of lines; a final terminator ends the last line rather than starting an empty one. */
  readonly count: number;

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (!isTerminator(c)) continue;
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      this.starts.push(i + 1);
    }
    const last = this.starts[this.starts.length - 1];
    this.count = text.length === 0 ? 0 : last === text.length ? this.starts.length - 1 : this.starts.length;
  }

  /** 1-based line and 0-based column of an offset, clamped into the text. */
  position(offset: number): Position {
    const at = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: at - (this.starts[lo] ?? 0) };
  }

  /** Offset where a 1-based line starts; the text's length past the last line. */
  start(line: number): number {
    return this.starts[line - 1] ?? this.text.length;
  }

  /** Offsets [start, end) of a 1-based line, terminator excluded. */
  bounds(line: number): [number, number] {
    const start = this.start(line);
    let end = start;
    while (end < this.text.length && !isTerminator(this.text.charCodeAt(end))) end++;
    return [start, end];
  }
}

const isSpace = (c: number): boolean => c <= 32 || c === 0xa0 || c === 0xfeff || (c > 127 && /\s/.test(String.fromCharCode(c)));

export const LineKind = { Blank: 0, Comment: 1, Code: 2 } as const;

/**
 * The kind of each 1-based line (index 0 unused): code if it has any non-space
 * outside a comment, comment if only comment text, else blank. `comments` are
 * babel's, sorted by offset.
 */
export function classifyLines(index: LineIndex, comments: readonly { start?: number; end?: number }[]): Uint8Array {
  const kinds = new Uint8Array(index.count + 1);
  const { text } = index;
  let line = 1;
  let nextLineStart = index.start(2);
  let ci = 0;
  for (let i = 0; i < text.length; i++) {
    while (i >= nextLineStart && line < index.count) {
      line++;
      nextLineStart = index.start(line + 1);
    }
    const c = text.charCodeAt(i);
    if (isSpace(c)) continue;
    while (ci < comments.length && (comments[ci]?.end ?? 0) <= i) ci++;
    const kind = (comments[ci]?.start ?? Infinity) <= i ? LineKind.Comment : LineKind.Code;
    if (kind > (kinds[line] ?? 0)) kinds[line] = kind;
  }
  return kinds;
}

export function countLines(kinds: Uint8Array): LineCounts {
  let code = 0;
  let comment = 0;
  for (let line = 1; line < kinds.length; line++) {
    if (kinds[line] === LineKind.Code) code++;
    else if (kinds[line] === LineKind.Comment) comment++;
  }
  const total = kinds.length - 1;
  return { total, code, comment, blank: total - code - comment };
}
