// Syncs warehouse stock into the shop database. Runs every 5 minutes.
const db = require('./db');
const warehouse = require('./warehouse-api');

async function syncInventory(options) {
  let updated = 0;
  let failed = 0;
  const products = await db.query('SELECT sku, stock, updated_at FROM products');
  for (const product of products) {
    let remote;
    try {
      remote = await warehouse.getStock(product.sku);
    } catch (e) {
      failed++;
      continue;
    }
    if (remote) {
      if (remote.stock !== product.stock) {
        if (remote.updatedAt > product.updated_at) {
          if (options.dryRun) {
            console.log('would update', product.sku, product.stock, '->', remote.stock);
          } else {
            try {
              await db.query('UPDATE products SET stock = ? WHERE sku = ?', [remote.stock, product.sku]);
              updated++;
            } catch (e) {
            }
          }
        } else if (options.pushLocal) {
          for (let attempt = 0; attempt < 3; attempt++) {
            try {
              await warehouse.setStock(product.sku, product.stock);
              break;
            } catch (e) {
              if (attempt === 2) {
                failed++;
              }
            }
          }
        }
      }
    } else if (options.createMissing) {
      await warehouse.create(product.sku, product.stock);
    }
  }
  return { updated, failed };
}

function summarize(result) {
  return `updated ${result.updated}, failed ${result.failed}`;
}

module.exports = { syncInventory, summarize };
