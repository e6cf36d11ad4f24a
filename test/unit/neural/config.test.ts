import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../shared/protocol/errors';
import { parseDatasetRef, parseTrainingConfig } from '../../../electron/engines/neural/config';

const valid = { epochs: 10, learningRate: 0.01, batchSize: 16, validation: 0.2 };

function refusal(input: unknown): ProtocolError {
  try {
    parseTrainingConfig(input);
  } catch (error) {
    if (error instanceof ProtocolError) return error;
    throw error;
  }
  throw new Error('config was accepted');
}

describe('training config schema', () => {
  it('accepts the protocol fields and optional extras', () => {
    expect(parseTrainingConfig(valid)).toEqual(valid);
    const full = parseTrainingConfig({ ...valid, hiddenLayers: [8, 4], seed: 3, earlyStopping: { patience: 5 } });
    expect(full.earlyStopping).toEqual({ patience: 5, minDelta: 0 });
  });

  it.each([
    ['epochs 0', { ...valid, epochs: 0 }, 'epochs'],
    ['epochs 1001', { ...valid, epochs: 1001 }, 'epochs'],
    ['fractional epochs', { ...valid, epochs: 2.5 }, 'epochs'],
    ['learningRate 0', { ...valid, learningRate: 0 }, 'learningRate'],
    ['learningRate 1.5', { ...valid, learningRate: 1.5 }, 'learningRate'],
    ['batchSize 0', { ...valid, batchSize: 0 }, 'batchSize'],
    ['batchSize 5000', { ...valid, batchSize: 5000 }, 'batchSize'],
    ['validation 0.01', { ...valid, validation: 0.01 }, 'validation'],
    ['validation 0.6', { ...valid, validation: 0.6 }, 'validation'],
    ['five hidden layers', { ...valid, hiddenLayers: [4, 4, 4, 4, 4] }, 'hiddenLayers'],
    ['empty hidden layers', { ...valid, hiddenLayers: [] }, 'hiddenLayers'],
    ['layer of 1', { ...valid, hiddenLayers: [1] }, 'hiddenLayers.0'],
    ['layer of 300', { ...valid, hiddenLayers: [300] }, 'hiddenLayers.0'],
    ['patience 0', { ...valid, earlyStopping: { patience: 0 } }, 'earlyStopping.patience'],
    ['string epochs', { ...valid, epochs: '10' }, 'epochs'],
    ['missing epochs', { learningRate: 0.1, batchSize: 1, validation: 0.2 }, 'epochs'],
  ])('refuses %s as invalid_argument naming the field and its range', (_name, input, path) => {
    const error = refusal(input);
    expect(error.code).toBe('invalid_argument');
    const details = error.details as { path: string; message: string }[];
    const detail = details.find((d) => d.path === path);
    expect(detail?.message).toMatch(/expected/);
  });

  it('refuses unknown fields listing the allowed ones', () => {
    const error = refusal({ ...valid, momentum: 0.9 });
    expect(error.message).toMatch(/allowed fields: epochs, learningRate, batchSize, validation/);
  });

  it('accepts a dataset id or a csvPath only', () => {
    expect(parseDatasetRef('iris')).toBe('iris');
    expect(parseDatasetRef({ csvPath: '/tmp/a.csv' })).toEqual({ csvPath: '/tmp/a.csv' });
    expect(() => parseDatasetRef({ url: 'http://x' })).toThrow(ProtocolError);
    expect(() => parseDatasetRef(42)).toThrow(ProtocolError);
  });
});
