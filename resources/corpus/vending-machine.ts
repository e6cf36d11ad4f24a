type State = 'idle' | 'collecting' | 'dispensing' | 'refunding' | 'maintenance';

export interface Machine {
  state: State;
  credit: number;
  stock: Record<string, { price: number; count: number }>;
  coins: Record<number, number>;
  log: string[];
}

export type Input =
  | { kind: 'coin'; value: number }
  | { kind: 'select'; slot: string }
  | { kind: 'cancel' }
  | { kind: 'service'; on: boolean }
  | { kind: 'done' };

const ACCEPTED = [5, 10, 20, 50, 100, 200];

export function step(m: Machine, input: Input): Machine {
  const next: Machine = { ...m, log: [...m.log] };
  switch (m.state) {
    case 'maintenance':
      if (input.kind === 'service' && !input.on) next.state = 'idle';
      break;
    case 'idle':
    case 'collecting':
      if (input.kind === 'service' && input.on) {
        next.state = m.credit > 0 ? 'refunding' : 'maintenance';
      } else if (input.kind === 'coin') {
        if (ACCEPTED.includes(input.value)) {
          next.credit += input.value;
          next.coins = { ...m.coins, [input.value]: (m.coins[input.value] ?? 0) + 1 };
          next.state = 'collecting';
        } else {
          next.log.push(`rejected coin ${input.value}`);
        }
      } else if (input.kind === 'select') {
        const item = m.stock[input.slot];
        if (!item || item.count === 0) {
          next.log.push(`slot ${input.slot} empty`);
        } else if (item.price > m.credit) {
          next.log.push(`insert ${item.price - m.credit} more`);
        } else {
          next.stock = { ...m.stock, [input.slot]: { ...item, count: item.count - 1 } };
          next.credit -= item.price;
          next.state = 'dispensing';
        }
      } else if (input.kind === 'cancel' && m.credit > 0) {
        next.state = 'refunding';
      }
      break;
    case 'dispensing':
      if (input.kind === 'done') next.state = next.credit > 0 ? 'refunding' : 'idle';
      break;
    case 'refunding':
      if (input.kind === 'done') {
        next.credit = 0;
        next.state = 'idle';
      }
      break;
  }
  return next;
}

export function change(amount: number, coins: Record<number, number>): number[] | null {
  const out: number[] = [];
  let left = amount;
  for (const value of [...ACCEPTED].reverse()) {
    let available = coins[value] ?? 0;
    while (left >= value && available > 0) {
      out.push(value);
      left -= value;
      available--;
    }
  }
  return left === 0 ? out : null;
}
