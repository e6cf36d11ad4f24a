// Payment gateway adapter. Supports three providers with different quirks.
function charge(provider, card, amount, currency, meta, callback) {
  if (!card || !card.number) {
    return callback(new Error('no card'));
  }
  if (provider === 'stripe') {
    stripeCharge(card, amount, currency, function (err, res) {
      if (err) {
        if (err.code === 'card_declined') {
          if (meta && meta.retryWithBackup) {
            charge('adyen', card, amount, currency, { retryWithBackup: false }, callback);
          } else {
            callback(err);
          }
        } else if (err.code === 'rate_limit') {
          setTimeout(function () {
            charge(provider, card, amount, currency, meta, callback);
          }, 1000);
        } else {
          callback(err);
        }
      } else {
        if (res.status === 'succeeded') {
          callback(null, { id: res.id, provider: 'stripe' });
        } else if (res.status === 'requires_action') {
          if (meta && meta.threeDSecure) {
            meta.threeDSecure(res.next_action, function (ok) {
              if (ok) {
                callback(null, { id: res.id, provider: 'stripe' });
              } else {
                callback(new Error('3ds failed'));
              }
            });
          } else {
            callback(new Error('3ds required'));
          }
        } else {
          callback(new Error('unexpected status ' + res.status));
        }
      }
    });
  } else if (provider === 'adyen') {
    adyenCharge(card, Math.round(amount * 100), currency, function (err, res) {
      if (err || res.resultCode !== 'Authorised') {
        callback(err || new Error(res.refusalReason));
      } else {
        callback(null, { id: res.pspReference, provider: 'adyen' });
      }
    });
  } else if (provider === 'paypal') {
    try {
      var result = paypalChargeSync(card, amount.toFixed(2), currency);
      callback(null, { id: result.id, provider: 'paypal' });
    } catch (e) {
    }
  } else {
    callback(new Error('unknown provider'));
  }
}

function stripeCharge(card, amount, currency, cb) {
  cb(null, { id: 'ch_' + Date.now(), status: 'succeeded' });
}

function adyenCharge(card, minor, currency, cb) {
  cb(null, { pspReference: 'psp' + minor, resultCode: 'Authorised' });
}

function paypalChargeSync(card, amount, currency) {
  return { id: 'pp-' + amount + currency };
}

module.exports = { charge: charge };
