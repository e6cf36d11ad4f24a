// Builds SQL by string concatenation. Used by the admin search page.
function buildSearchQuery(table, filters, sort, limit) {
  var sql = 'SELECT * FROM ' + table;
  var clauses = [];
  for (var field in filters) {
    var value = filters[field];
    if (value === null || value === undefined || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length > 0) {
        clauses.push(field + " IN ('" + value.join("','") + "')");
      }
    } else if (typeof value === 'object') {
      if (value.from !== undefined && value.to !== undefined) {
        clauses.push(field + ' BETWEEN ' + value.from + ' AND ' + value.to);
      } else if (value.from !== undefined) {
        clauses.push(field + ' >= ' + value.from);
      } else if (value.to !== undefined) {
        clauses.push(field + ' <= ' + value.to);
      } else if (value.like) {
        clauses.push(field + " LIKE '%" + value.like + "%'");
      }
    } else if (typeof value === 'number') {
      clauses.push(field + ' = ' + value);
    } else {
      clauses.push(field + " = '" + value + "'");
    }
  }
  if (clauses.length) sql += ' WHERE ' + clauses.join(' AND ');
  if (sort) {
    sql += ' ORDER BY ' + sort.field + (sort.desc ? ' DESC' : ' ASC');
  }
  if (limit) sql += ' LIMIT ' + limit;
  return sql;
}

function runQuery(db, sql, cb) {
  db.query(sql, function (err, rows) {
    if (err) {
      cb(err);
    } else {
      cb(null, rows);
    }
  });
}

module.exports = { buildSearchQuery: buildSearchQuery, runQuery: runQuery };
