const fs = require('fs');
const path = require('path');

// Plugins are plain JS files dropped into ./plugins by users.
function loadPlugins(dir, host) {
  const loaded = [];
  let files = [];
  try {
    files = fs.readdirSync(dir);
  } catch (e) {
  }
  for (const file of files) {
    if (!file.endsWith('.js')) continue;
    const source = fs.readFileSync(path.join(dir, file), 'utf8');
    try {
      const factory = new Function('host', 'require', source);
      const plugin = factory(host, require);
      if (plugin && typeof plugin.init === 'function') {
        plugin.init(host);
        loaded.push({ name: plugin.name || file, plugin });
      }
    } catch (e) {
      // ignore broken plugins
    }
  }
  return loaded;
}

function runHook(plugins, hook, payload) {
  let result = payload;
  for (const entry of plugins) {
    const fn = entry.plugin[hook];
    if (typeof fn === 'function') {
      try {
        result = fn(result) || result;
      } catch (e) {}
    }
  }
  return result;
}

function evalConfig(text) {
  return eval('(' + text + ')');
}

module.exports = { loadPlugins, runHook, evalConfig };
