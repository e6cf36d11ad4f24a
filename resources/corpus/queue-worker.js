// Background worker that drains the jobs table.
const handlers = {};

function register(type, handler) {
  handlers[type] = handler;
}

async function work(db, options) {
  const batch = await db.claimJobs(options.batchSize || 10);
  for (const job of batch) {
    const handler = handlers[job.type];
    if (!handler) {
      await db.fail(job.id, 'no handler');
      continue;
    }
    try {
      const payload = typeof job.payload === 'string' ? JSON.parse(job.payload) : job.payload;
      await handler(payload, job);
      await db.complete(job.id);
    } catch (err) {
      if (job.attempts + 1 >= (options.maxAttempts || 5)) {
        await db.fail(job.id, String(err));
      } else {
        try {
          await db.retry(job.id, Date.now() + 2 ** job.attempts * 1000);
        } catch (e) {
        }
      }
    }
  }
  return batch.length;
}

function loop(db, options) {
  let stopped = false;
  const tick = async () => {
    if (stopped) return;
    let n = 0;
    try {
      n = await work(db, options);
    } catch (e) {}
    setTimeout(tick, n > 0 ? 0 : options.idleMs || 1000);
  };
  tick();
  return () => {
    stopped = true;
  };
}

module.exports = { register, work, loop };
