/**
 * A small multilayer perceptron on Float64Arrays.
 *
 * Why not TensorFlow.js: our networks have a few hundred to a few thousand
 * parameters, where a plain JIT-compiled loop beats tfjs-node/-wasm once their
 * per-op dispatch and tensor bookkeeping are counted; there is no native or wasm
 * binary to ship, sign and load in Electron and in a worker thread; and the math is
 * bit-reproducible for a seed on every platform. There is no WebAssembly backend,
 * which is why inference metrics report `wasmEnabled: false`.
 */
import type { Random } from '../random';

export type Activation = 'relu' | 'tanh';

export interface MlpShape {
  inputs: number;
  hidden: readonly number[];
  outputs: number;
  activation: Activation;
}

export interface Optimizer {
  step(params: readonly Float64Array[], grads: readonly Float64Array[]): void;
}

/** Plain SGD with optional (heavy-ball) momentum. */
export class Sgd implements Optimizer {
  private velocity: Float64Array[] | undefined;

  constructor(
    private readonly learningRate: number,
    private readonly momentum = 0,
  ) {}

  step(params: readonly Float64Array[], grads: readonly Float64Array[]): void {
    this.velocity ??= params.map((p) => new Float64Array(p.length));
    for (let k = 0; k < params.length; k++) {
      const p = params[k]!;
      const g = grads[k]!;
      const v = this.velocity[k]!;
      for (let i = 0; i < p.length; i++) {
        v[i] = this.momentum * v[i]! - this.learningRate * g[i]!;
        p[i]! += v[i]!;
      }
    }
  }
}

/** Adam (Kingma & Ba) with bias-corrected moment estimates. */
export class Adam implements Optimizer {
  private m: Float64Array[] | undefined;
  private v: Float64Array[] | undefined;
  private t = 0;

  constructor(
    private readonly learningRate: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-8,
  ) {}

  step(params: readonly Float64Array[], grads: readonly Float64Array[]): void {
    this.m ??= params.map((p) => new Float64Array(p.length));
    this.v ??= params.map((p) => new Float64Array(p.length));
    this.t++;
    const { beta1: b1, beta2: b2 } = this;
    const stepSize = (this.learningRate * Math.sqrt(1 - b2 ** this.t)) / (1 - b1 ** this.t);
    for (let k = 0; k < params.length; k++) {
      const p = params[k]!;
      const g = grads[k]!;
      const m = this.m[k]!;
      const v = this.v[k]!;
      for (let i = 0; i < p.length; i++) {
        const gi = g[i]!;
        m[i] = b1 * m[i]! + (1 - b1) * gi;
        v[i] = b2 * v[i]! + (1 - b2) * gi * gi;
        p[i]! -= (stepSize * m[i]!) / (Math.sqrt(v[i]!) + this.epsilon);
      }
    }
  }
}

const MAGIC = 0x504d4c5a; // "ZLMP" little-endian
const FORMAT_VERSION = 1;
const ACTIVATION_CODES: Activation[] = ['relu', 'tanh'];

export class Mlp {
  /** Layer l's weights (out × in, row-major) at 2l, its biases at 2l+1. */
  readonly params: Float64Array[];
  /** Gradients in the same layout, filled by `computeGradients`. */
  readonly grads: Float64Array[];
  private readonly sizes: number[];
  // Per-layer activations (index 0 is the input) and backprop deltas, reused per sample.
  private readonly acts: Float64Array[];
  private readonly deltas: Float64Array[];

  private constructor(
    readonly shape: MlpShape,
    params?: Float64Array[],
  ) {
    this.sizes = [shape.inputs, ...shape.hidden, shape.outputs];
    if (this.sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new RangeError(`bad layer sizes ${this.sizes.join('-')}`);
    const layers = this.sizes.length - 1;
    const empty = (): Float64Array[] =>
      Array.from({ length: layers * 2 }, (_, k) => {
        const l = k >> 1;
        return new Float64Array(k % 2 === 0 ? this.sizes[l]! * this.sizes[l + 1]! : this.sizes[l + 1]!);
      });
    this.params = params ?? empty();
    this.grads = empty();
    this.acts = this.sizes.map((n) => new Float64Array(n));
    this.deltas = this.sizes.map((n) => new Float64Array(n));
  }

  /** He init into ReLU layers, LeCun into tanh and the softmax layer; biases start at zero. */
  static create(shape: MlpShape, random: Random): Mlp {
    const net = new Mlp(shape);
    for (let l = 0; l < net.layerCount; l++) {
      const fanIn = net.sizes[l]!;
      const intoRelu = shape.activation === 'relu' && l < net.layerCount - 1;
      const std = Math.sqrt((intoRelu ? 2 : 1) / fanIn);
      const w = net.params[2 * l]!;
      for (let i = 0; i < w.length; i++) w[i] = random.normal(0, std);
    }
    return net;
  }

  get layerCount(): number {
    return this.sizes.length - 1;
  }

  get parameterCount(): number {
    return this.params.reduce((n, p) => n + p.length, 0);
  }

  /** Class probabilities for one input (a fresh array). */
  predict(x: ArrayLike<number>): Float64Array {
    this.forward(x);
    return Float64Array.from(this.acts[this.layerCount]!);
  }

  /** Mean cross-entropy and accuracy over a set of samples. */
  evaluate(xs: readonly ArrayLike<number>[], ys: ArrayLike<number>, indices?: ArrayLike<number>): { loss: number; accuracy: number } {
    const n = indices ? indices.length : xs.length;
    if (n === 0) return { loss: 0, accuracy: 0 };
    let loss = 0;
    let correct = 0;
    const out = this.acts[this.layerCount]!;
    for (let s = 0; s < n; s++) {
      const i = indices ? indices[s]! : s;
      const label = ys[i]!;
      loss += this.forward(xs[i]!, label);
      let best = 0;
      for (let c = 1; c < out.length; c++) if (out[c]! > out[best]!) best = c;
      if (best === label) correct++;
    }
    return { loss: loss / n, accuracy: correct / n };
  }

  /**
   * Sets `grads` to the gradient of the mean cross-entropy over samples
   * indices[from..to) (all samples when no indices) and returns that loss.
   */
  computeGradients(xs: readonly ArrayLike<number>[], ys: ArrayLike<number>, indices?: ArrayLike<number>, from = 0, to = indices ? indices.length : xs.length): number {
    for (const g of this.grads) g.fill(0);
    const n = to - from;
    if (n <= 0) return 0;
    let loss = 0;
    for (let s = from; s < to; s++) {
      const i = indices ? indices[s]! : s;
      loss += this.forward(xs[i]!, ys[i]!);
      this.backward(ys[i]!);
    }
    const scale = 1 / n;
    for (const g of this.grads) for (let k = 0; k < g.length; k++) g[k]! *= scale;
    return loss * scale;
  }

  /** One optimizer step on a mini-batch; returns the batch's loss before the step. */
  trainBatch(xs: readonly ArrayLike<number>[], ys: ArrayLike<number>, indices: ArrayLike<number>, from: number, to: number, optimizer: Optimizer): number {
    const loss = this.computeGradients(xs, ys, indices, from, to);
    optimizer.step(this.params, this.grads);
    return loss;
  }

  /** Copies parameters (e.g. the best epoch's) so they can be restored later. */
  snapshot(): Float64Array[] {
    return this.params.map((p) => Float64Array.from(p));
  }

  restore(snapshot: readonly Float64Array[]): void {
    snapshot.forEach((p, k) => this.params[k]!.set(p));
  }

  /** Compact little-endian binary: header (magic, version, activation, sizes) then float64 parameters. */
  serialize(): Uint8Array {
    const headerBytes = 12 + 4 * this.sizes.length;
    const offset = Math.ceil(headerBytes / 8) * 8;
    const buffer = new ArrayBuffer(offset + this.parameterCount * 8);
    const view = new DataView(buffer);
    view.setUint32(0, MAGIC, true);
    view.setUint16(4, FORMAT_VERSION, true);
    view.setUint16(6, ACTIVATION_CODES.indexOf(this.shape.activation), true);
    view.setUint32(8, this.sizes.length, true);
    this.sizes.forEach((n, i) => view.setUint32(12 + 4 * i, n, true));
    let at = offset;
    for (const p of this.params) {
      for (let i = 0; i < p.length; i++, at += 8) view.setFloat64(at, p[i]!, true);
    }
    return new Uint8Array(buffer);
  }

  static deserialize(bytes: Uint8Array): Mlp {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.byteLength < 12 || view.getUint32(0, true) !== MAGIC) throw new Error('not a serialized network');
    if (view.getUint16(4, true) !== FORMAT_VERSION) throw new Error(`unsupported network format ${view.getUint16(4, true)}`);
    const activation = ACTIVATION_CODES[view.getUint16(6, true)];
    const count = view.getUint32(8, true);
    if (!activation || count < 2 || bytes.byteLength < 12 + 4 * count) throw new Error('corrupt network header');
    const sizes = Array.from({ length: count }, (_, i) => view.getUint32(12 + 4 * i, true));
    const net = new Mlp({ inputs: sizes[0]!, hidden: sizes.slice(1, -1), outputs: sizes[count - 1]!, activation });
    let at = Math.ceil((12 + 4 * count) / 8) * 8;
    if (bytes.byteLength !== at + net.parameterCount * 8) throw new Error('network parameter count does not match its shape');
    for (const p of net.params) {
      for (let i = 0; i < p.length; i++, at += 8) p[i] = view.getFloat64(at, true);
    }
    return net;
  }

  /** Fills the activations; returns the cross-entropy against `label` when given. */
  private forward(x: ArrayLike<number>, label = -1): number {
    if (x.length !== this.shape.inputs) throw new RangeError(`expected ${this.shape.inputs} features, got ${x.length}`);
    const input = this.acts[0]!;
    for (let i = 0; i < input.length; i++) input[i] = x[i]!;
    const last = this.layerCount - 1;
    for (let l = 0; l <= last; l++) {
      const w = this.params[2 * l]!;
      const b = this.params[2 * l + 1]!;
      const a = this.acts[l]!;
      const z = this.acts[l + 1]!;
      const nIn = a.length;
      for (let o = 0; o < z.length; o++) {
        let sum = b[o]!;
        const row = o * nIn;
        for (let i = 0; i < nIn; i++) sum += w[row + i]! * a[i]!;
        z[o] = l === last ? sum : this.shape.activation === 'relu' ? (sum > 0 ? sum : 0) : Math.tanh(sum);
      }
    }
    // Softmax in place, shifted by the max logit for stability; the loss uses log-sum-exp.
    const out = this.acts[last + 1]!;
    let max = -Infinity;
    for (let c = 0; c < out.length; c++) if (out[c]! > max) max = out[c]!;
    const labelLogit = label >= 0 ? out[label]! : 0;
    let total = 0;
    for (let c = 0; c < out.length; c++) {
      const e = Math.exp(out[c]! - max);
      out[c] = e;
      total += e;
    }
    for (let c = 0; c < out.length; c++) out[c]! /= total;
    return label >= 0 ? Math.log(total) + max - labelLogit : 0;
  }

  /** Accumulates one sample's gradient, using the activations of the last forward pass. */
  private backward(label: number): void {
    const last = this.layerCount - 1;
    const top = this.deltas[last + 1]!;
    top.set(this.acts[last + 1]!);
    top[label]! -= 1;
    for (let l = last; l >= 0; l--) {
      const delta = this.deltas[l + 1]!;
      const a = this.acts[l]!;
      const w = this.params[2 * l]!;
      const gw = this.grads[2 * l]!;
      const gb = this.grads[2 * l + 1]!;
      const nIn = a.length;
      for (let o = 0; o < delta.length; o++) {
        const d = delta[o]!;
        gb[o]! += d;
        if (d === 0) continue;
        const row = o * nIn;
        for (let i = 0; i < nIn; i++) gw[row + i]! += d * a[i]!;
      }
      if (l === 0) break;
      const below = this.deltas[l]!;
      const relu = this.shape.activation === 'relu';
      for (let i = 0; i < nIn; i++) {
        const ai = a[i]!;
        const slope = relu ? (ai > 0 ? 1 : 0) : 1 - ai * ai;
        if (slope === 0) {
          below[i] = 0;
          continue;
        }
        let sum = 0;
        for (let o = 0; o < delta.length; o++) sum += w[o * nIn + i]! * delta[o]!;
        below[i] = sum * slope;
      }
    }
  }
}
