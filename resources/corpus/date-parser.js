// Accepts the many date formats customers type into the booking form.
var MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function parseLooseDate(text, today) {
  var s = String(text || '').trim().toLowerCase();
  if (!s) return null;
  if (s === 'today') return today;
  if (s === 'tomorrow') return new Date(today.getTime() + 86400000);
  var m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (m) return new Date(+m[1], +m[2] - 1, +m[3]);
  m = /^(\d{1,2})[./](\d{1,2})[./](\d{2,4})$/.exec(s);
  if (m) {
    var year = +m[3];
    if (year < 100) year += year > 50 ? 1900 : 2000;
    if (+m[1] > 12) {
      return new Date(year, +m[2] - 1, +m[1]);
    } else if (+m[2] > 12) {
      return new Date(year, +m[1] - 1, +m[2]);
    } else {
      return new Date(year, +m[2] - 1, +m[1]);
    }
  }
  m = /^(\d{1,2})\s+([a-z]+)\.?\s*(\d{4})?$/.exec(s);
  if (m) {
    var month = MONTHS.indexOf(m[2].slice(0, 3));
    if (month < 0) return null;
    var y = m[3] ? +m[3] : today.getFullYear();
    var d = new Date(y, month, +m[1]);
    if (!m[3] && d < today) d.setFullYear(y + 1);
    return d;
  }
  m = /^(next|this)\s+(mon|tue|wed|thu|fri|sat|sun)/.exec(s);
  if (m) {
    var target = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].indexOf(m[2]);
    var delta = (target - today.getDay() + 7) % 7;
    if (delta === 0 || m[1] === 'next') delta += 7;
    return new Date(today.getTime() + delta * 86400000);
  }
  m = /^in\s+(\d+)\s+(day|week|month)s?$/.exec(s);
  if (m) {
    var n = +m[1];
    var r = new Date(today.getTime());
    if (m[2] === 'day') r.setDate(r.getDate() + n);
    else if (m[2] === 'week') r.setDate(r.getDate() + 7 * n);
    else r.setMonth(r.getMonth() + n);
    return r;
  }
  return null;
}

function isValidDate(d) {
  return d instanceof Date && !isNaN(d.getTime());
}

module.exports = { parseLooseDate: parseLooseDate, isValidDate: isValidDate };
