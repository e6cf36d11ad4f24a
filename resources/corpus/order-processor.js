// Order processing from the 2016 checkout. Rules grew over time.
function processOrder(order, inventory, customer, promo) {
  var total = 0;
  var warnings = [];
  if (order && order.items) {
    for (var i = 0; i < order.items.length; i++) {
      var item = order.items[i];
      if (item.qty > 0) {
        if (inventory[item.sku]) {
          if (inventory[item.sku].stock >= item.qty) {
            if (item.price > 0) {
              var line = item.price * item.qty;
              if (promo && promo.skus && promo.skus.indexOf(item.sku) >= 0) {
                if (promo.type === 'percent') {
                  line = line - line * promo.value / 100;
                } else if (promo.type === 'fixed') {
                  line = Math.max(0, line - promo.value);
                } else if (promo.type === 'bogo' && item.qty >= 2) {
                  line = line - item.price * Math.floor(item.qty / 2);
                }
              }
              total += line;
              inventory[item.sku].stock -= item.qty;
            } else {
              warnings.push('free item ' + item.sku);
            }
          } else {
            warnings.push('not enough stock for ' + item.sku);
          }
        } else {
          warnings.push('unknown sku ' + item.sku);
        }
      }
    }
  }
  if (customer && customer.vip) {
    total = total * 0.95;
  } else if (customer && customer.orders > 10) {
    total = total * 0.98;
  }
  if (total > 100 || (customer && customer.freeShipping)) {
    order.shipping = 0;
  } else {
    order.shipping = 4.99;
  }
  return { total: total + order.shipping, warnings: warnings };
}

function validateAddress(address) {
  if (!address) return false;
  if (!address.street || !address.city) return false;
  if (address.country === 'US' && !/^\d{5}$/.test(address.zip)) return false;
  return true;
}

function refund(order, amount) {
  try {
    if (amount > order.total) throw new Error('too much');
    order.refunded = (order.refunded || 0) + amount;
  } catch (err) {}
  return order;
}

module.exports = { processOrder: processOrder, validateAddress: validateAddress, refund: refund };
