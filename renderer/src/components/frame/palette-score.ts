import { computeCommandScore } from 'bits-ui';

/**
 * Ranks palette entries: an object whose name is exactly what was typed wins ("Star" → the swarm
 * named Star, not "Start a training run…"), then a whole word, then bits-ui's fuzzy score.
 */
export function paletteScore(value: string, search: string, keywords?: string[]): number {
  const q = search.trim().toLowerCase();
  if (!q) return 1;
  const v = value.toLowerCase();
  const name = v.includes(': ') ? v.slice(v.indexOf(': ') + 2) : v.replace(/^go /, '');
  if (name === q || keywords?.some((k) => k.toLowerCase() === q)) return 1;
  if (name.split(/[\s·…]+/).includes(q)) return 0.95;
  return computeCommandScore(value, search, keywords) * 0.9;
}
