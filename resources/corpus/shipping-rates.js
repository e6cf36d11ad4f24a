// Shipping rate calculation. Carrier rules copied from the PDFs they send us.
function shippingRate(pkg, destination, service) {
  var rate = 0;
  var weight = Math.max(pkg.weight, (pkg.length * pkg.width * pkg.height) / 5000);
  if (destination.country === 'DE') {
    if (service === 'express') {
      rate = weight < 2 ? 9.9 : weight < 10 ? 14.9 : 24.9;
    } else {
      rate = weight < 2 ? 4.9 : weight < 10 ? 6.9 : 12.9;
    }
  } else if (destination.zone === 'EU') {
    if (service === 'express') {
      if (weight < 2) {
        rate = 19.9;
      } else if (weight < 10) {
        rate = 29.9;
      } else if (weight < 20) {
        rate = 49.9;
      } else {
        rate = 49.9 + (weight - 20) * 2.5;
      }
    } else {
      if (weight < 2) {
        rate = 9.9;
      } else if (weight < 10) {
        rate = 16.9;
      } else {
        rate = 16.9 + (weight - 10) * 1.2;
      }
    }
  } else if (destination.zone === 'WORLD') {
    if (pkg.dangerous) {
      return null;
    }
    rate = 29.9 + weight * 4;
    if (service === 'express') rate *= 1.8;
    if (destination.remote) rate += 15;
  } else {
    return null;
  }
  if (pkg.insured && pkg.value > 500) {
    rate += pkg.value * 0.01;
  } else if (pkg.insured) {
    rate += 3;
  }
  if (pkg.signature) rate += 2.5;
  return Math.round(rate * 100) / 100;
}

function cheapest(rates) {
  var best = null;
  for (var i = 0; i < rates.length; i++) {
    if (rates[i] !== null && (best === null || rates[i] < best)) best = rates[i];
  }
  return best;
}

module.exports = { shippingRate: shippingRate, cheapest: cheapest };
