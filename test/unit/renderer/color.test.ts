import { describe, expect, it } from 'vitest';
import { withAlpha } from '../../../renderer/src/lib/color';

describe('withAlpha: a palette colour made translucent for a canvas', () => {
  it('takes hex in both lengths', () => {
    expect(withAlpha('#2f63d8', 0.2)).toBe('rgba(47, 99, 216, 0.2)');
    expect(withAlpha('#fff', 0.5)).toBe('rgba(255, 255, 255, 0.5)');
  });

  it('takes the rgb() and rgba() a computed style gives, multiplying an own alpha', () => {
    expect(withAlpha('rgb(111, 155, 255)', 0.14)).toBe('rgba(111, 155, 255, 0.14)');
    expect(withAlpha('rgba(220, 230, 255, 0.08)', 0.5)).toBe('rgba(220, 230, 255, 0.04)');
    expect(withAlpha('rgb(10 20 30 / 50%)', 0.5)).toBe('rgba(10, 20, 30, 0.25)');
  });

  it('leaves anything else as it is', () => {
    expect(withAlpha('transparent', 0.5)).toBe('transparent');
  });
});
