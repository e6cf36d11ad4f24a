// In-browser module loader from the 2014 admin UI. Modules are fetched as text.
var registry = {};
var pending = {};

function define(name, deps, factory) {
  registry[name] = { deps: deps, factory: factory, exports: null };
}

function requireModule(name, fetchText) {
  var mod = registry[name];
  if (!mod) {
    if (pending[name]) throw new Error('circular dependency ' + name);
    pending[name] = true;
    var source = fetchText(name);
    try {
      if (source.indexOf('define(') >= 0) {
        eval(source);
      } else {
        var fn = new Function('module', 'exports', 'require', source);
        var m = { exports: {} };
        fn(m, m.exports, function (dep) { return requireModule(dep, fetchText); });
        registry[name] = { deps: [], factory: null, exports: m.exports };
      }
    } catch (e) {
    }
    delete pending[name];
    mod = registry[name];
    if (!mod) return undefined;
  }
  if (mod.exports === null) {
    var args = [];
    for (var i = 0; i < mod.deps.length; i++) {
      if (mod.deps[i] === 'exports') {
        mod.exports = {};
        args.push(mod.exports);
      } else {
        args.push(requireModule(mod.deps[i], fetchText));
      }
    }
    var result = mod.factory.apply(null, args);
    if (result !== undefined) mod.exports = result;
    else if (mod.exports === null) mod.exports = {};
  }
  return mod.exports;
}

module.exports = { define: define, requireModule: requireModule };
