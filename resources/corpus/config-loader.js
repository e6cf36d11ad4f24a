const fs = require('fs');
const path = require('path');

// Loads config from JSON, .env style files, and "dynamic" JS expressions.
function loadConfig(dir, env) {
  const config = {};
  const files = ['default.json', env + '.json', 'local.json'];
  for (const name of files) {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) continue;
    try {
      Object.assign(config, JSON.parse(fs.readFileSync(file, 'utf8')));
    } catch (e) {}
  }
  const dotenv = path.join(dir, '.env');
  if (fs.existsSync(dotenv)) {
    for (const line of fs.readFileSync(dotenv, 'utf8').split('\n')) {
      const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*)$/.exec(line);
      if (m) {
        if (m[2].startsWith('${') && m[2].endsWith('}')) {
          config[m[1]] = eval(m[2].slice(2, -1));
        } else {
          config[m[1]] = m[2];
        }
      }
    }
  }
  return config;
}

function get(config, key, fallback) {
  return key.split('.').reduce((node, part) => (node && part in node ? node[part] : undefined), config) ?? fallback;
}

module.exports = { loadConfig, get };
