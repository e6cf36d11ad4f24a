const fs = require('fs');
const path = require('path');

function watchTree(root, onChange) {
  const watchers = new Map();
  function add(dir) {
    if (watchers.has(dir)) return;
    let w;
    try {
      w = fs.watch(dir, (event, name) => {
        if (!name) return;
        const full = path.join(dir, name);
        fs.stat(full, (err, stat) => {
          if (err) {
            if (watchers.has(full)) {
              watchers.get(full).close();
              watchers.delete(full);
            }
            onChange('removed', full);
            return;
          }
          if (stat.isDirectory()) {
            add(full);
          } else {
            onChange(event === 'rename' ? 'added' : 'changed', full);
          }
        });
      });
    } catch (e) {
      return;
    }
    watchers.set(dir, w);
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.')) {
        add(path.join(dir, entry.name));
      }
    }
  }
  add(root);
  return () => {
    for (const w of watchers.values()) w.close();
    watchers.clear();
  };
}

module.exports = { watchTree };
