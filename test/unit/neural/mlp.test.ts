import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../electron/engines/random';
import { Adam, Mlp, Sgd, type Activation } from '../../../electron/engines/neural/mlp';

function toyData(seed: string, n: number, inputs: number, classes: number) {
  const random = createRandom(seed);
  const xs = Array.from({ length: n }, () => Array.from({ length: inputs }, () => random.normal()));
  const ys = xs.map((x) => Math.abs(Math.floor(x.reduce((a, b) => a + b, 0) * 2)) % classes);
  return { xs, ys };
}

describe('Mlp', () => {
  it.each<Activation>(['tanh', 'relu'])('analytic gradients match central differences (%s)', (activation) => {
    const net = Mlp.create({ inputs: 3, hidden: [5, 4], outputs: 3, activation }, createRandom('grad'));
    const { xs, ys } = toyData('grad-data', 6, 3, 3);
    net.computeGradients(xs, ys);
    const analytic = net.grads.map((g) => Float64Array.from(g));
    const h = 1e-5;
    let worst = 0;
    net.params.forEach((p, k) => {
      for (let i = 0; i < p.length; i++) {
        const keep = p[i]!;
        p[i] = keep + h;
        const up = net.evaluate(xs, ys).loss;
        p[i] = keep - h;
        const down = net.evaluate(xs, ys).loss;
        p[i] = keep;
        const numeric = (up - down) / (2 * h);
        const a = analytic[k]![i]!;
        worst = Math.max(worst, Math.abs(numeric - a) / Math.max(1e-6, Math.abs(numeric) + Math.abs(a)));
      }
    });
    expect(worst).toBeLessThan(1e-5);
  });

  it('initialises bit-identically for a seed and differently for another', () => {
    const shape = { inputs: 4, hidden: [8], outputs: 3, activation: 'relu' as const };
    const a = Mlp.create(shape, createRandom(42)).serialize();
    const b = Mlp.create(shape, createRandom(42)).serialize();
    const c = Mlp.create(shape, createRandom(43)).serialize();
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(false);
  });

  it('serialize → deserialize gives identical predictions', () => {
    const net = Mlp.create({ inputs: 3, hidden: [6, 5], outputs: 4, activation: 'tanh' }, createRandom('ser'));
    const { xs, ys } = toyData('ser-data', 40, 3, 4);
    const adam = new Adam(0.05);
    for (let i = 0; i < 20; i++) net.trainBatch(xs, ys, Int32Array.from(xs.keys()), 0, xs.length, adam);
    const copy = Mlp.deserialize(net.serialize());
    expect(copy.shape).toEqual({ inputs: 3, hidden: [6, 5], outputs: 4, activation: 'tanh' });
    for (const x of xs) expect(Array.from(copy.predict(x))).toEqual(Array.from(net.predict(x)));
  });

  it('refuses corrupt bytes', () => {
    const bytes = Mlp.create({ inputs: 2, hidden: [3], outputs: 2, activation: 'relu' }, createRandom(1)).serialize();
    expect(() => Mlp.deserialize(bytes.subarray(0, bytes.length - 8))).toThrow(/parameter count/);
    expect(() => Mlp.deserialize(new Uint8Array(16))).toThrow(/not a serialized network/);
  });

  it.each([
    ['adam', () => new Adam(0.05)],
    ['sgd', () => new Sgd(0.1, 0.9)],
  ])('%s lowers the training loss', (_name, optimizer) => {
    const net = Mlp.create({ inputs: 3, hidden: [8], outputs: 3, activation: 'relu' }, createRandom('opt'));
    const { xs, ys } = toyData('opt-data', 60, 3, 3);
    const order = Int32Array.from(xs.keys());
    const before = net.evaluate(xs, ys).loss;
    const opt = optimizer();
    for (let i = 0; i < 100; i++) net.trainBatch(xs, ys, order, 0, xs.length, opt);
    expect(net.evaluate(xs, ys).loss).toBeLessThan(before * 0.7);
  });

  it('probabilities sum to one', () => {
    const net = Mlp.create({ inputs: 2, hidden: [4], outputs: 5, activation: 'relu' }, createRandom(3));
    const p = net.predict([0.3, -2]);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(() => net.predict([1])).toThrow(/expected 2 features/);
  });
});
