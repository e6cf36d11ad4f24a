import type { Token } from './tokenizer';

export type Node =
  | { type: 'num'; value: number }
  | { type: 'var'; name: string }
  | { type: 'call'; name: string; args: Node[] }
  | { type: 'binary'; op: string; left: Node; right: Node }
  | { type: 'neg'; operand: Node };

const PRECEDENCE: Record<string, number> = { '+': 1, '-': 1, '*': 2, '/': 2, '%': 2, '^': 3 };

/** Pratt parser over the tokenizer's output. */
export function parse(tokens: Token[]): Node {
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];

  function primary(): Node {
    const token = next();
    if (!token) throw new SyntaxError('unexpected end');
    if (token.kind === 'number') return { type: 'num', value: token.value };
    if (token.kind === 'op' && token.value === '-') return { type: 'neg', operand: expression(3) };
    if (token.kind === 'paren' && token.value === '(') {
      const inner = expression(0);
      const close = next();
      if (!close || close.kind !== 'paren' || close.value !== ')') throw new SyntaxError('missing )');
      return inner;
    }
    if (token.kind === 'ident') {
      const after = peek();
      if (after && after.kind === 'paren' && after.value === '(') {
        next();
        const args: Node[] = [];
        while (peek() && !(peek()!.kind === 'paren' && peek()!.value === ')')) {
          args.push(expression(0));
          const sep = peek();
          if (sep && sep.kind === 'op' && sep.value === ',') next();
        }
        next();
        return { type: 'call', name: token.value, args };
      }
      return { type: 'var', name: token.value };
    }
    throw new SyntaxError(`unexpected ${token.value}`);
  }

  function expression(minPrecedence: number): Node {
    let left = primary();
    for (;;) {
      const op = peek();
      if (!op || op.kind !== 'op' || op.value === ',') break;
      const prec = PRECEDENCE[op.value] ?? 0;
      if (prec < minPrecedence || prec === 0) break;
      next();
      const right = expression(op.value === '^' ? prec : prec + 1);
      left = { type: 'binary', op: op.value, left, right };
    }
    return left;
  }

  const tree = expression(0);
  if (pos < tokens.length) throw new SyntaxError('trailing input');
  return tree;
}
