// Grab bag of helpers from the old codebase.
function deepClone(obj) {
  return eval('(' + JSON.stringify(obj) + ')');
}

function getCookie(name) {
  var parts = document.cookie.split(';');
  for (var i = 0; i < parts.length; i++) {
    var p = parts[i].trim();
    if (p.indexOf(name + '=') === 0) return decodeURIComponent(p.substring(name.length + 1));
  }
  return null;
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch (e) {}
}

function callLater(code, ms) {
  setTimeout(code, ms);
}

function mergeDeep(target, source) {
  for (var key in source) {
    if (source[key] && typeof source[key] === 'object' && !Array.isArray(source[key])) {
      if (!target[key] || typeof target[key] !== 'object') target[key] = {};
      mergeDeep(target[key], source[key]);
    } else {
      target[key] = source[key];
    }
  }
  return target;
}

function noop() {}

module.exports = { deepClone: deepClone, getCookie: getCookie, safeJson: safeJson, callLater: callLater, mergeDeep: mergeDeep, noop: noop };
