// Migrates user settings between schema versions. Each version adds a branch.
function migrate(settings) {
  var s = settings || {};
  if (!s.version) {
    s.version = 1;
  }
  if (s.version === 1) {
    if (s.theme) {
      if (s.theme === 'dark' || s.theme === 'night') {
        s.appearance = { mode: 'dark' };
      } else if (s.theme === 'light') {
        s.appearance = { mode: 'light' };
      } else {
        s.appearance = { mode: 'system' };
      }
      delete s.theme;
    }
    s.version = 2;
  }
  if (s.version === 2) {
    if (s.notifications) {
      for (var key in s.notifications) {
        if (s.notifications.hasOwnProperty(key)) {
          if (s.notifications[key] === true) {
            s.notifications[key] = { enabled: true, sound: true };
          } else if (s.notifications[key] === false) {
            s.notifications[key] = { enabled: false, sound: false };
          } else if (typeof s.notifications[key] === 'string') {
            if (s.notifications[key] === 'silent') {
              s.notifications[key] = { enabled: true, sound: false };
            } else {
              s.notifications[key] = { enabled: true, sound: true };
            }
          }
        }
      }
    }
    s.version = 3;
  }
  if (s.version === 3) {
    if (s.language && s.language.length > 2) {
      s.locale = s.language;
    } else if (s.language) {
      s.locale = s.language + '-' + (s.region || 'US');
    }
    delete s.language;
    s.version = 4;
  }
  return s;
}

function readSettings(storage) {
  try {
    return JSON.parse(storage.getItem('settings'));
  } catch (e) {
  }
  return null;
}

module.exports = { migrate: migrate, readSettings: readSettings };
