import { Mlp } from './mlp';
import type { Standardization } from './standardize';

/** Everything needed to run a trained network later: the net, its input scaling and labels. */
export interface ModelArtifact {
  datasetId: string;
  features: string[];
  classes: string[];
  standardization: Standardization;
  /** Validation accuracy (0–1) of these weights at training time; the drift baseline. */
  baselineAccuracy: number;
  trainedAt: number;
  net: Mlp;
}

const MAGIC = 0x4e4e465a; // "ZFNN" little-endian

/** Layout: magic u32, header length u32, JSON header, zero padding to 8 bytes, serialized Mlp. */
export function encodeArtifact(artifact: ModelArtifact): Uint8Array {
  const { net, ...meta } = artifact;
  const header = new TextEncoder().encode(JSON.stringify(meta));
  const netOffset = Math.ceil((8 + header.length) / 8) * 8;
  const netBytes = net.serialize();
  const out = new Uint8Array(netOffset + netBytes.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, header.length, true);
  out.set(header, 8);
  out.set(netBytes, netOffset);
  return out;
}

export function decodeArtifact(bytes: Uint8Array): ModelArtifact {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 8 || view.getUint32(0, true) !== MAGIC) throw new Error('not a model artifact');
  const headerLength = view.getUint32(4, true);
  if (8 + headerLength > bytes.byteLength) throw new Error('corrupt model artifact header');
  const meta = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Omit<ModelArtifact, 'net'>;
  const net = Mlp.deserialize(bytes.subarray(Math.ceil((8 + headerLength) / 8) * 8));
  if (net.shape.inputs !== meta.features.length || net.shape.outputs !== meta.classes.length) {
    throw new Error('model artifact shape does not match its features and classes');
  }
  return { ...meta, net };
}
