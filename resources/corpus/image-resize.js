'use strict';

// Computes target sizes for the thumbnail service.
function fit(width, height, maxWidth, maxHeight) {
  const ratio = Math.min(maxWidth / width, maxHeight / height, 1);
  return { width: Math.round(width * ratio), height: Math.round(height * ratio) };
}

function cover(width, height, targetWidth, targetHeight) {
  const ratio = Math.max(targetWidth / width, targetHeight / height);
  const w = Math.round(width * ratio);
  const h = Math.round(height * ratio);
  return { width: w, height: h, left: Math.floor((w - targetWidth) / 2), top: Math.floor((h - targetHeight) / 2) };
}

function parseSizeParam(param) {
  const m = /^(\d+)x(\d+)(?:@(\d)x)?$/.exec(param || '');
  if (!m) return null;
  const scale = m[3] ? Number(m[3]) : 1;
  return { width: Number(m[1]) * scale, height: Number(m[2]) * scale };
}

module.exports = { fit, cover, parseSizeParam };
