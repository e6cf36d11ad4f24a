import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, rmdirSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../../shared/protocol/models';
import { ZenFlowRequestError } from '../../shared/sdk';
import { collect, nextEvent, startTestServer, type TestServer } from '../helpers/server';

/** A small tmpfs of our own, so the disk can really fill up (tests run as root). */
function mountTmpfs(sizeMb: number): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'zenflow-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir], { stdio: 'pipe' });
    return dir;
  } catch (err) {
    rmdirSync(dir);
    console.warn(`disk-full tests skipped: cannot mount a tmpfs (${(err as Error).message.split('\n')[0]}); they need root`);
    return null;
  }
}

/** Fills the file system until it refuses another byte; returns the filler to delete later. */
function fill(dir: string): string {
  const file = join(dir, 'filler');
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  }
  const small = Buffer.alloc(512, 1);
  try {
    for (;;) writeSync(fd, small);
  } catch {
    // Full to the last block.
  }
  closeSync(fd);
  return file;
}

const mounted = mountTmpfs(16);

describe.skipIf(mounted === null)('a full disk (a refused write is refused everywhere)', () => {
  const dir = mounted!;
  let t: TestServer;
  let token = '';
  const get = async <T>(path: string): Promise<T> => (await (await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as T;
  beforeAll(async () => {
    t = await startTestServer({ dataDir: dir });
  });
  afterAll(async () => {
    await t?.close();
    // Lazy: the closed database's file handles may linger until collected.
    execFileSync('umount', ['--lazy', dir]);
    rmdirSync(dir);
  });

  it('refuses creates with unavailable naming the full disk; they are never announced, listed or written after space returns', async () => {
    const admin = await t.client();
    token = await t.token();
    const watcher = await t.client();
    await watcher.request('subscribe', ['tasks', 'swarms']);
    const created = collect<{ id: string; title: string }>(watcher, 'task:created');
    const swarm = await admin.request('swarm:create', { name: 'before', topology: 'mesh', agents: 1 });
    const kept = await admin.request('task:create', { title: 'kept', priority: 'low', assignee: 'auto', estimatedDuration: 3_600_000 });
    const mutations = ['task:cancelled', 'swarm:deleted', 'swarm:scaled'].map((event) => collect<{ id?: string; swarmId?: string }>(watcher, event));

    const filler = fill(dir);
    const refused: string[] = [];
    const acked: Task[] = [];
    for (let i = 0; i < 200 && refused.length < 20; i++) {
      const title = `full ${i}`;
      try {
        acked.push(await admin.request('task:create', { title, priority: 'low', assignee: 'auto', estimatedDuration: 600_000 }));
      } catch (err) {
        expect(err).toBeInstanceOf(ZenFlowRequestError);
        expect((err as ZenFlowRequestError).code).toBe('unavailable');
        expect((err as ZenFlowRequestError).message).toMatch(/disk is full/);
        refused.push(title);
      }
    }
    // Positive control: the disk really refused writes.
    expect(refused.length).toBeGreaterThan(0);
    await expect(admin.request('swarm:create', { name: 'during', topology: 'ring', agents: 3 })).rejects.toMatchObject({ code: 'unavailable' });
    await expect(admin.request('workflow:create', { name: 'wf', steps: [{ id: 'a', title: 'A' }] })).rejects.toMatchObject({ code: 'unavailable' });
    await expect(admin.request('config:update', { component: 'system', settings: { cpuWarning: 71 } })).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(/disk is full/),
    });
    // Commands that change engine state in place are refused before they change anything.
    const diskFull = { code: 'unavailable', message: expect.stringMatching(/disk is full/) };
    await expect(admin.request('task:cancel', { taskId: kept.id })).rejects.toMatchObject(diskFull);
    await expect(admin.request('swarm:scale', { swarmId: swarm.id, role: 'generalist', count: 3 })).rejects.toMatchObject(diskFull);
    await expect(admin.request('swarm:delete', { swarmId: swarm.id })).rejects.toMatchObject(diskFull);
    expect((await get<Task>(`/api/tasks/${kept.id}`)).state).not.toBe('cancelled');
    expect((await get<{ agents: unknown[] }>(`/api/swarms/${swarm.id}`)).agents).toHaveLength(1);

    rmSync(filler);
    const afterSeen = nextEvent<{ title: string }>(watcher, 'task:created', 5000, (e) => e.title === 'after');
    const after = await admin.request('task:create', { title: 'after', priority: 'low', assignee: 'auto' });
    // Positive control for the refused ones: the watcher sees this task, and anything announced before it.
    await afterSeen;

    const announced = created.items.map((e) => e.title);
    expect(announced).toContain('after');
    for (const title of refused) expect(announced).not.toContain(title);
    const listed = ((await (await fetch(`${t.url}/api/tasks?limit=1000`, { headers: { authorization: `Bearer ${await t.token()}` } })).json()) as { tasks: Task[] }).tasks;
    const listedTitles = listed.map((x) => x.title);
    expect(listedTitles).toContain('after');
    for (const title of refused) expect(listedTitles).not.toContain(title);
    expect((await admin.request('swarm:analyze', { swarmId: swarm.id })).swarmId).toBe(swarm.id);
    const swarms = (await (await fetch(`${t.url}/api/swarms`, { headers: { authorization: `Bearer ${await t.token()}` } })).json()) as {
      swarms: { name: string; agents: unknown[] }[];
    };
    expect(swarms.swarms.map((s) => [s.name, s.agents.length])).toEqual([['before', 1]]);
    expect((await get<Task>(`/api/tasks/${kept.id}`)).state).not.toBe('cancelled');
    expect(mutations.map((m) => m.items)).toEqual([[], [], []]);
    // Positive control: with space back, the same cancel goes through and is announced.
    const cancelledAfter = nextEvent<{ id: string }>(watcher, 'task:cancelled', 5000, (e) => e.id === kept.id);
    expect((await admin.request('task:cancel', { taskId: kept.id })).state).toBe('cancelled');
    await cancelledAfter;
    // Ids of refused creates are not used up: the next task follows the last acked one.
    const lastAcked = acked.at(-1)?.id ?? kept.id;
    expect(Number(after.id.split('-')[1])).toBe(Number(lastAcked.split('-')[1]) + 1);

    // Nothing refused reaches the store later either: a restart on the same directory shows the same.
    await t.close();
    t = await startTestServer({ dataDir: dir });
    token = await t.token();
    const logged = (await (await fetch(`${t.url}/api/events?channels=tasks&limit=1000`, { headers: { authorization: `Bearer ${await t.token()}` } })).json()) as {
      events: { event: string; data: { title?: string } }[];
    };
    const loggedTitles = logged.events.filter((e) => e.event === 'task:created').map((e) => e.data.title);
    expect(loggedTitles).toContain('after');
    for (const title of refused) expect(loggedTitles).not.toContain(title);
    const stored = ((await (await fetch(`${t.url}/api/tasks?limit=1000`, { headers: { authorization: `Bearer ${await t.token()}` } })).json()) as { tasks: Task[] }).tasks.map(
      (x) => x.title,
    );
    for (const title of refused) expect(stored).not.toContain(title);
    expect((await get<{ agents: unknown[] }>(`/api/swarms/${swarm.id}`)).agents).toHaveLength(1);
    expect((await get<Task>(`/api/tasks/${kept.id}`)).state).toBe('cancelled');
  }, 60_000);
});
