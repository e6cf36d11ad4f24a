'use strict';

const CHANNELS = ['email', 'sms', 'push'];

function shouldNotify(user, event, now) {
  const prefs = user.preferences || {};
  if (prefs.muted) return [];
  const hour = new Date(now).getHours();
  const quiet = prefs.quietHours && (hour >= prefs.quietHours.from || hour < prefs.quietHours.to);
  const channels = [];
  for (const channel of CHANNELS) {
    const setting = prefs[channel];
    if (!setting || !setting.enabled) continue;
    if (setting.events && !setting.events.includes(event.type)) continue;
    if (quiet && event.priority !== 'urgent') continue;
    channels.push(channel);
  }
  return channels;
}

async function dispatch(user, event, senders, now = Date.now()) {
  const sent = [];
  for (const channel of shouldNotify(user, event, now)) {
    try {
      await senders[channel](user, event);
      sent.push(channel);
    } catch (err) {
      console.warn(`notify ${channel} failed`, err.message);
    }
  }
  return sent;
}

module.exports = { shouldNotify, dispatch };
