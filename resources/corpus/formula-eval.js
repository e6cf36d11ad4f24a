// Spreadsheet formula evaluation. Falls back to eval for "advanced" formulas.
function evaluateFormula(formula, cells) {
  if (formula[0] !== '=') return formula;
  var expr = formula.slice(1);
  expr = expr.replace(/[A-Z]+[0-9]+/g, function (ref) {
    var v = cells[ref];
    if (v === undefined || v === '') return '0';
    if (typeof v === 'string' && v[0] === '=') return '(' + evaluateFormula(v, cells) + ')';
    return String(v);
  });
  expr = expr.replace(/SUM\(([^)]*)\)/g, function (_, args) {
    return '(' + args.split(',').join('+') + ')';
  });
  try {
    return eval(expr);
  } catch (e) {
    return '#ERROR';
  }
}

function evaluateSheet(cells) {
  var out = {};
  for (var ref in cells) {
    if (typeof cells[ref] === 'string' && cells[ref][0] === '=') {
      out[ref] = evaluateFormula(cells[ref], cells);
    } else {
      out[ref] = cells[ref];
    }
  }
  return out;
}

function columnName(index) {
  var name = '';
  var n = index + 1;
  while (n > 0) {
    var rem = (n - 1) % 26;
    name = String.fromCharCode(65 + rem) + name;
    n = Math.floor((n - 1) / 26);
  }
  return name;
}

module.exports = { evaluateFormula: evaluateFormula, evaluateSheet: evaluateSheet, columnName: columnName };
