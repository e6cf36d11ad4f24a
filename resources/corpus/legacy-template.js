// Legacy template engine kept for old email templates. Do not extend.
var cache = {};

function render(template, data) {
  if (cache[template]) {
    return cache[template](data);
  }
  var code = "var out = '';";
  var parts = template.split(/\{\{|\}\}/);
  for (var i = 0; i < parts.length; i++) {
    if (i % 2 === 0) {
      code += "out += " + JSON.stringify(parts[i]) + ";";
    } else {
      if (parts[i].indexOf('#if ') === 0) {
        code += "if (data." + parts[i].slice(4) + ") {";
      } else if (parts[i] === '/if') {
        code += "}";
      } else if (parts[i].indexOf('#each ') === 0) {
        code += "for (var k in data." + parts[i].slice(6) + ") { var item = data." + parts[i].slice(6) + "[k];";
      } else if (parts[i] === '/each') {
        code += "}";
      } else {
        code += "out += (" + parts[i] + ");";
      }
    }
  }
  code += "return out;";
  try {
    var fn = new Function('data', code);
    cache[template] = fn;
    return fn(data);
  } catch (e) {
  }
  return '';
}

function evaluateExpression(expr, scope) {
  var names = Object.keys(scope);
  var prelude = '';
  for (var i = 0; i < names.length; i++) {
    prelude += 'var ' + names[i] + ' = scope.' + names[i] + ';';
  }
  return eval(prelude + expr);
}

function formatDate(d) {
  return d.getFullYear() + '-' + (d.getMonth() + 1) + '-' + d.getDate();
}

module.exports = { render: render, evaluateExpression: evaluateExpression, formatDate: formatDate };
