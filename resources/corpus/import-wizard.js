// Contact import wizard: maps spreadsheet columns to contact fields.
function importContacts(rows, mapping, existing, options) {
  var created = [], updated = [], skipped = [];
  for (var r = 0; r < rows.length; r++) {
    var row = rows[r];
    var contact = {};
    for (var col in mapping) {
      var field = mapping[col];
      var value = row[col];
      if (value === undefined || value === null) continue;
      value = String(value).trim();
      if (field === 'email') {
        value = value.toLowerCase();
        if (value.indexOf('@') < 0) {
          if (options.strict) {
            skipped.push({ row: r, reason: 'bad email' });
            contact = null;
            break;
          } else {
            continue;
          }
        }
      } else if (field === 'phone') {
        value = value.replace(/[^0-9+]/g, '');
        if (value.length < 6) continue;
      } else if (field === 'tags') {
        value = value.split(/[;,]/).map(function (t) { return t.trim(); }).filter(Boolean);
      }
      contact[field] = value;
    }
    if (!contact) continue;
    if (!contact.email && !contact.phone) {
      skipped.push({ row: r, reason: 'no email or phone' });
      continue;
    }
    var match = null;
    for (var i = 0; i < existing.length; i++) {
      if ((contact.email && existing[i].email === contact.email) || (contact.phone && existing[i].phone === contact.phone)) {
        match = existing[i];
        break;
      }
    }
    if (match) {
      if (options.overwrite) {
        for (var k in contact) {
          if (k === 'tags' && match.tags) {
            for (var t = 0; t < contact.tags.length; t++) {
              if (match.tags.indexOf(contact.tags[t]) < 0) match.tags.push(contact.tags[t]);
            }
          } else {
            match[k] = contact[k];
          }
        }
        updated.push(match);
      } else {
        skipped.push({ row: r, reason: 'duplicate' });
      }
    } else {
      created.push(contact);
      existing.push(contact);
    }
  }
  return { created: created, updated: updated, skipped: skipped };
}

module.exports = { importContacts: importContacts };
