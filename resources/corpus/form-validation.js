// Validates the signup form on the server; mirrors the client rules.
function validateSignup(form, existingUsernames, config) {
  var errors = {};
  if (!form.username) {
    errors.username = 'required';
  } else if (form.username.length < 3 || form.username.length > 20) {
    errors.username = 'must be 3-20 characters';
  } else if (!/^[a-z0-9_]+$/i.test(form.username)) {
    errors.username = 'letters, digits and underscores only';
  } else if (existingUsernames.indexOf(form.username.toLowerCase()) >= 0) {
    errors.username = 'taken';
  }
  if (!form.email || form.email.indexOf('@') < 1) {
    errors.email = 'invalid';
  } else if (config.blockedDomains) {
    var domain = form.email.split('@')[1].toLowerCase();
    for (var i = 0; i < config.blockedDomains.length; i++) {
      if (domain === config.blockedDomains[i] || domain.endsWith('.' + config.blockedDomains[i])) {
        errors.email = 'domain not allowed';
        break;
      }
    }
  }
  if (!form.password || form.password.length < (config.minPassword || 8)) {
    errors.password = 'too short';
  } else if (form.password === form.username || form.password === form.email) {
    errors.password = 'too easy to guess';
  } else if (config.requireSymbols && !/[^a-z0-9]/i.test(form.password)) {
    errors.password = 'needs a symbol';
  }
  if (form.password !== form.confirm) errors.confirm = 'does not match';
  if (form.birthYear) {
    var age = new Date().getFullYear() - form.birthYear;
    if (age < (config.minAge || 13)) errors.birthYear = 'too young';
    else if (age > 120) errors.birthYear = 'invalid';
  }
  if (config.requireTerms && !form.terms) errors.terms = 'must accept';
  return { valid: Object.keys(errors).length === 0, errors: errors };
}

module.exports = { validateSignup: validateSignup };
