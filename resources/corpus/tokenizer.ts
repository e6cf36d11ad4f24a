export type Token =
  | { kind: 'number'; value: number }
  | { kind: 'ident'; value: string }
  | { kind: 'op'; value: string }
  | { kind: 'paren'; value: '(' | ')' };

const OPERATORS = new Set(['+', '-', '*', '/', '^', '%', ',']);

/** Tokenizes arithmetic expressions for the formula field. */
export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (/[0-9.]/.test(ch)) {
      let j = i;
      while (j < input.length && /[0-9.]/.test(input[j]!)) j++;
      const text = input.slice(i, j);
      const value = Number(text);
      if (Number.isNaN(value)) throw new SyntaxError(`bad number ${text} at ${i}`);
      tokens.push({ kind: 'number', value });
      i = j;
    } else if (/[A-Za-z_]/.test(ch)) {
      let j = i;
      while (j < input.length && /[A-Za-z0-9_]/.test(input[j]!)) j++;
      tokens.push({ kind: 'ident', value: input.slice(i, j) });
      i = j;
    } else if (OPERATORS.has(ch)) {
      tokens.push({ kind: 'op', value: ch });
      i++;
    } else if (ch === '(' || ch === ')') {
      tokens.push({ kind: 'paren', value: ch });
      i++;
    } else {
      throw new SyntaxError(`unexpected ${ch} at ${i}`);
    }
  }
  return tokens;
}
