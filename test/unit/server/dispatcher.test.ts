import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { ProtocolError } from '../../../shared/protocol/errors';
import { expandPermissions } from '../../../shared/protocol/permissions';
import { EventBus } from '../../../electron/engines/bus';
import { ManualClock } from '../../../electron/engines/clock';
import { CommandDispatcher } from '../../../electron/server/dispatcher';
import type { CommandContext, CommandHandlers } from '../../../electron/server/handlers/types';
import { RequestBudget } from '../../../electron/server/security/request-budget';

const ctx = (permissions: string[], socketId?: string): CommandContext => ({
  userId: 'u',
  tokenId: 't',
  principal: 't',
  scopes: expandPermissions(permissions),
  socketId,
  transport: socketId ? 'socket' : 'rest',
});

function setup(limit = 5) {
  const clock = new ManualClock();
  const bus = new EventBus(() => clock.now());
  const published: [string, Record<string, unknown>][] = [];
  bus.subscribe((event, payload) => published.push([event, payload as Record<string, unknown>]));
  const created: unknown[] = [];
  const handlers: CommandHandlers = {
    'swarm:create': (args) => {
      created.push(args);
      return { id: 'swarm-1', name: args.name, topology: args.topology, createdAt: clock.now(), agents: [] };
    },
    'task:cancel': () => {
      throw new ProtocolError('not_found', 'no task t-9');
    },
  };
  const notified: [string, string][] = [];
  const dispatcher = new CommandDispatcher(handlers, {
    budget: new RequestBudget(limit, 60_000, () => clock.now()),
    bus,
    log: pino({ level: 'silent' }),
    notifySocket: (id, event) => notified.push([id, event]),
  });
  return { clock, dispatcher, created, published, notified };
}

const swarm = { name: 'S', topology: 'mesh', agents: 2 };

describe('CommandDispatcher', () => {
  it('runs a valid command with the scope, refuses one without it and changes nothing', async () => {
    const { dispatcher, created } = setup();
    await expect(dispatcher.invoke('swarm:create', swarm, ctx(['read:swarms']))).rejects.toMatchObject({ code: 'forbidden' });
    expect(created).toEqual([]);
    // Positive control: the same command with the scope runs.
    await expect(dispatcher.invoke('swarm:create', swarm, ctx(['write:swarms']))).resolves.toMatchObject({ id: 'swarm-1', name: 'S' });
    expect(created).toHaveLength(1);
  });

  it('refuses a bad payload naming the field, without calling the handler', async () => {
    const { dispatcher, created } = setup();
    await expect(dispatcher.invoke('swarm:create', { ...swarm, topology: 'blob' }, ctx(['*']))).rejects.toMatchObject({
      code: 'invalid_argument',
      details: [expect.objectContaining({ path: 'topology' })],
    });
    expect(created).toEqual([]);
  });

  it('answers a command without a handler with unavailable', async () => {
    const { dispatcher } = setup();
    await expect(dispatcher.invoke('swarm:delete', { swarmId: 's' }, ctx(['*']))).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('acks over a socket with the result or the error envelope, the ack being the last argument', async () => {
    const { dispatcher } = setup();
    const ok = vi.fn();
    await dispatcher.fromSocket('swarm:create', [swarm, ok], ctx(['*'], 's1'));
    expect(ok).toHaveBeenCalledWith(expect.objectContaining({ id: 'swarm-1', name: 'S' }));
    const refused = vi.fn();
    await dispatcher.fromSocket('task:cancel', [{ taskId: 't-9' }, refused], ctx(['*'], 's1'));
    expect(refused).toHaveBeenCalledWith({ error: { code: 'not_found', message: 'no task t-9' } });
    const noPayload = vi.fn();
    await dispatcher.fromSocket('swarm:delete', [noPayload], ctx(['*'], 's1'));
    expect(noPayload).toHaveBeenCalledWith({ error: expect.objectContaining({ code: 'invalid_argument' }) });
  });

  it('charges the budget: warns at 80 %, refuses past it with when to retry, and forgives after the window', () => {
    const { clock, dispatcher, published, notified } = setup(5);
    const who = { socketId: 's1', label: 'alice' };
    for (let i = 0; i < 3; i++) dispatcher.charge('k', who);
    expect(published).toEqual([]);
    dispatcher.charge('k', who);
    expect(published.map(([e, p]) => [e, p.severity, p.currentRequests])).toEqual([['api:rate:limit', 'warning', 4]]);
    clock.advance(10_000);
    dispatcher.charge('k', who);
    expect(() => dispatcher.charge('k', who)).toThrow(expect.objectContaining({ code: 'rate_limited', details: { retryAfterMs: 50_000 } }));
    expect(published.at(-1)![1]).toMatchObject({ severity: 'critical', limited: true, clientId: 'alice' });
    expect(notified).toEqual([
      ['s1', 'api:rate:limit'],
      ['s1', 'api:rate:limit'],
    ]);
    expect(dispatcher.blockedFor('k')).toBe(50_000);
    // Another client is not affected.
    expect(() => dispatcher.charge('other', who)).not.toThrow();
    clock.advance(49_999);
    expect(() => dispatcher.charge('k', who)).toThrow(expect.objectContaining({ code: 'rate_limited' }));
    clock.advance(1);
    expect(dispatcher.blockedFor('k')).toBe(0);
    expect(() => dispatcher.charge('k', who)).not.toThrow();
  });
});
