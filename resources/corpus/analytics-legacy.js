// Old analytics snippet handler; evaluates tracking rules defined in the CMS.
function trackEvent(rules, event, user) {
  var fired = [];
  for (var i = 0; i < rules.length; i++) {
    var rule = rules[i];
    if (rule.event !== event.name && rule.event !== '*') continue;
    var matches = true;
    if (rule.condition) {
      try {
        matches = eval(rule.condition);
      } catch (e) {
        matches = false;
      }
    }
    if (matches) {
      if (rule.sample && Math.random() > rule.sample) continue;
      for (var j = 0; j < rule.targets.length; j++) {
        var target = rule.targets[j];
        if (target.type === 'pixel') {
          var img = new Image();
          img.src = target.url + '?e=' + encodeURIComponent(event.name) + '&u=' + (user ? user.id : '');
          fired.push(target.url);
        } else if (target.type === 'script') {
          if (target.inline) {
            setTimeout(target.inline, 0);
          }
          fired.push('script');
        } else if (target.type === 'beacon') {
          try {
            navigator.sendBeacon(target.url, JSON.stringify(event));
            fired.push(target.url);
          } catch (e) {}
        }
      }
    }
  }
  return fired;
}

module.exports = { trackEvent: trackEvent };
