'use strict';

// Lays out a text table for the CLI, wrapping long cells.
function layout(rows, maxWidth) {
  if (rows.length === 0) return '';
  const cols = Math.max(...rows.map((r) => r.length));
  const widths = new Array(cols).fill(0);
  for (const row of rows) {
    for (let c = 0; c < cols; c++) {
      const cell = String(row[c] ?? '');
      widths[c] = Math.max(widths[c], cell.length);
    }
  }
  let total = widths.reduce((a, b) => a + b, 0) + (cols - 1) * 3;
  while (total > maxWidth) {
    let widest = 0;
    for (let c = 1; c < cols; c++) if (widths[c] > widths[widest]) widest = c;
    if (widths[widest] <= 8) break;
    widths[widest]--;
    total--;
  }
  const lines = [];
  for (const row of rows) {
    const wrapped = widths.map((w, c) => wrap(String(row[c] ?? ''), w));
    const height = Math.max(...wrapped.map((cell) => cell.length));
    for (let l = 0; l < height; l++) {
      lines.push(wrapped.map((cell, c) => (cell[l] || '').padEnd(widths[c])).join(' | ').trimEnd());
    }
  }
  return lines.join('\n');
}

function wrap(text, width) {
  const out = [];
  for (let i = 0; i < text.length; i += width) out.push(text.slice(i, i + width));
  return out.length ? out : [''];
}

module.exports = { layout, wrap };
