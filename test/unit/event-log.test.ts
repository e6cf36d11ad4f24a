import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../electron/engines/bus';
import { EventLog, type EventLogOptions } from '../../electron/server/log/event-log';
import { type Db } from '../../electron/store/database';
import { openAppDatabase } from '../../electron/engines/migrations';
import { taskCreated } from '../helpers/event-fixtures';

const turn = () => new Promise<void>((r) => setImmediate(r));
const errors: unknown[] = [];
const options = (o: Partial<EventLogOptions> = {}): EventLogOptions => ({
  retainEvents: 1000,
  retainMs: 0,
  cacheEvents: 100,
  onError: (e) => errors.push(e),
  ...o,
});

describe('EventLog', () => {
  const dirs: string[] = [];
  const dbs: Db[] = [];
  const open = (dir = mkdtempSync(join(tmpdir(), 'zenflow-log-unit-'))) => {
    dirs.push(dir);
    const db = openAppDatabase(join(dir, 'zenflow.db'));
    dbs.push(db);
    return { db, dir };
  };
  afterEach(() => {
    for (const l of logs.splice(0)) l.close();
    for (const db of dbs.splice(0)) db.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const logs: EventLog[] = [];
  const make = (db: Db, o: Partial<EventLogOptions> = {}) => {
    const bus = new EventBus(() => 1000);
    const log = new EventLog(db, bus, options(o));
    logs.push(log);
    const delivered: { event: string; seq: number }[] = [];
    bus.subscribe((event, p) => delivered.push({ event, seq: (p as { seq: number }).seq }));
    return { bus, log, delivered };
  };
  const publish = (bus: EventBus, n: number) => {
    for (let i = 0; i < n; i++) bus.publish('task:created', taskCreated(`t${i}`));
  };

  it('numbers events, delivers them only once committed, and keeps seq and epoch across a reopen', async () => {
    const { db, dir } = open();
    const { bus, log, delivered } = make(db);
    const p = bus.publish('task:created', taskCreated('a', 'a'));
    expect(p.seq).toBe(1);
    expect(delivered).toEqual([]);
    await turn();
    expect(delivered).toEqual([{ event: 'task:created', seq: 1 }]);
    publish(bus, 4);
    await turn();
    expect(log.seq).toBe(5);
    const epoch = log.epoch;
    log.close();
    const again = make(open(dir).db);
    expect(again.log.epoch).toBe(epoch);
    expect(again.bus.publish('task:created', taskCreated('b', 'b')).seq).toBe(6);
  });

  it('drops the events of a refused command and reuses nothing that was seen', async () => {
    const { db } = open();
    const { bus, log, delivered } = make(db);
    publish(bus, 2);
    const mark = bus.mark();
    publish(bus, 3);
    bus.discardSince(mark);
    await turn();
    expect(delivered.map((d) => d.seq)).toEqual([1, 2]);
    expect(bus.publish('task:created', taskCreated('c', 'c')).seq).toBe(3);
    await turn();
    expect(log.seq).toBe(3);
  });

  it('a rolled-back transaction leaves its events staged for the next commit', async () => {
    const { db } = open();
    const { bus, delivered } = make(db);
    publish(bus, 2);
    expect(() =>
      bus.transaction(db, () => {
        throw new Error('refused');
      }),
    ).toThrow('refused');
    expect(delivered).toEqual([]);
    bus.transaction(db, () => undefined);
    expect(delivered.map((d) => d.seq)).toEqual([1, 2]);
  });

  it('reads ranges from memory and from cached blocks alike, in seq order', async () => {
    const { db } = open();
    const { bus, log } = make(db, { cacheEvents: 10, blockSize: 4 });
    publish(bus, 50);
    await turn();
    const all = log.chunk(0, 50, 100).map((e) => e.seq);
    expect(all).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(log.chunk(7, 13, 3).map((e) => e.seq)).toEqual([8, 9, 10]);
    expect(log.chunk(45, 50, 100).map((e) => e.seq)).toEqual([46, 47, 48, 49, 50]);
    expect(log.chunk(50, 50, 10)).toEqual([]);
  });

  it('prunes past retention in batches, keeping seqs growing even when everything went', async () => {
    const { db, dir } = open();
    const { bus, log } = make(db, { retainEvents: 10, pruneBatch: 7 });
    publish(bus, 40);
    await turn();
    log.prune();
    for (let i = 0; i < 10; i++) await turn();
    expect(log.oldestSeq()).toBe(31);
    expect(log.countAfter(0, ['tasks'])).toBe(10);
    log.close();
    const zero = make(open(dir).db, { retainEvents: 0 });
    zero.log.prune();
    for (let i = 0; i < 10; i++) await turn();
    expect(zero.log.oldestSeq()).toBe(41);
    expect(zero.bus.publish('task:created', taskCreated('n', 'n')).seq).toBe(41);
    expect(errors).toEqual([]);
  });
});
