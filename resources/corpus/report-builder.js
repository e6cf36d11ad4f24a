// Monthly report builder. Called from the cron job with raw DB rows.
function buildReport(rows, options) {
  var report = { sections: [], totals: {} };
  var byRegion = {};
  for (var i = 0; i < rows.length; i++) {
    var r = rows[i];
    if (!byRegion[r.region]) byRegion[r.region] = [];
    byRegion[r.region].push(r);
  }
  for (var region in byRegion) {
    var section = { region: region, lines: [] };
    var list = byRegion[region];
    for (var j = 0; j < list.length; j++) {
      var row = list[j];
      var status;
      switch (row.status) {
        case 'paid':
          status = 'Paid';
          break;
        case 'pending':
          status = row.daysOpen > 30 ? 'Overdue' : 'Pending';
          break;
        case 'refunded':
          status = 'Refunded';
          break;
        case 'disputed':
          status = row.resolved ? 'Resolved' : 'Disputed';
          break;
        case 'cancelled':
          status = 'Cancelled';
          break;
        default:
          status = 'Unknown';
      }
      if (options && options.hideCancelled && status === 'Cancelled') continue;
      if (options && options.minAmount && row.amount < options.minAmount) continue;
      section.lines.push({ id: row.id, amount: row.amount, status: status });
      report.totals[status] = (report.totals[status] || 0) + row.amount;
      if (row.amount > 10000 && status !== 'Paid') {
        section.flagged = true;
      } else if (row.currency !== 'EUR' && !options.convert) {
        section.mixedCurrency = true;
      }
    }
    report.sections.push(section);
  }
  return report;
}

function formatRow(line) {
  return line.id + '\t' + line.amount.toFixed(2) + '\t' + line.status;
}

module.exports = { buildReport: buildReport, formatRow: formatRow };
