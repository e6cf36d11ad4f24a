/**
 * A load-generator process: holds its share of the subscribers (raw WebSockets speaking Engine.IO
 * v4 / Socket.IO v5 frames by hand, so the client side stays cheap) and, in one process, the
 * publisher. Events are sent on a fixed schedule and every latency is measured from the event's
 * scheduled send time, so a server that falls behind cannot hide it (no coordinated omission).
 */
import WebSocket from 'ws';
import { swarmCreateArgs, type Scenario } from './scenario';
import { SCENARIOS } from './scenarios';

export interface LoadConfig {
  scenario: string;
  /** The publisher's URL, and the subscribers' unless `subscriberUrls`. */
  url: string;
  /** Subscriber `index` connects to `subscriberUrls[index % length]` (a cluster's edges). */
  subscriberUrls?: string[];
  token?: string;
  /** Global index of this process's first subscriber, and how many it holds. */
  first: number;
  count: number;
  publish: boolean;
}
export interface RunPlan {
  /** Wall-clock ms (timeOrigin-based) of event 0's scheduled send. */
  startAt: number;
  rate: number;
  warmup: number;
  measured: number;
}
export interface LoadResult {
  received: number;
  expected: number;
  latencies: number[];
  published: number;
  publishErrors: number;
  /** Reading subscribers the server closed. */
  closed: number;
  /** Slow subscribers (those that stopped reading), how many the server cut off, and the longest any took. */
  slow: number;
  slowCut: number;
  slowCutMs: number;
}
export type LoadRequest = { type: 'connect'; config: LoadConfig } | { type: 'run'; plan: RunPlan } | { type: 'stop' };

const now = () => performance.timeOrigin + performance.now();
const NAME = Buffer.from('"name":"b');
const DIGIT_0 = 48;

/** The schedule indexes of the events in one frame (`"name":"b<i>"`), read off the bytes without decoding them. */
function eventIndexes(frame: Buffer, each: (i: number) => void): void {
  let at = frame.indexOf(NAME);
  while (at >= 0) {
    let i = 0;
    let p = at + NAME.length;
    for (let c = frame[p]!; c >= DIGIT_0 && c <= DIGIT_0 + 9; c = frame[++p]!) i = i * 10 + c - DIGIT_0;
    each(i);
    at = frame.indexOf(NAME, p);
  }
}
const CONCURRENCY = 64;
const DRAIN_MS = 5000;

class Client {
  readonly ws: WebSocket;
  private ackId = 0;
  private readonly acks = new Map<number, (payload: string) => void>();
  onEvent: (frame: Buffer) => void = () => {};
  closed = false;
  closedAt = 0;
  /** When it stopped reading, if it is a slow consumer. */
  pausedAt = 0;
  readonly ready: Promise<void>;

  constructor(scenario: Scenario, url: string, token: string | undefined, setup: [string, unknown][], publisher: boolean) {
    const ws = (this.ws = new WebSocket(
      scenario.wire === 'ws' ? `${url.replace('http', 'ws')}${publisher ? '/publish' : '/'}` : `${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`,
      { perMessageDeflate: false, skipUTF8Validation: true },
    ));
    const onClosed = () => {
      if (!this.closed) this.closedAt = now();
      this.closed = true;
    };
    ws.on('close', onClosed);
    ws.on('error', onClosed);
    this.ready = new Promise<void>((resolve, reject) => {
      ws.once('close', () => reject(new Error('closed while setting up')));
      if (scenario.wire === 'ws') {
        ws.once('open', () => resolve());
        ws.on('message', (d: Buffer) => {
          if (publisher) this.acks.get(1)?.(d.toString());
          else this.onEvent(d);
        });
        return;
      }
      ws.on('message', (d: Buffer) => {
        // Event frames (`42[…`) are only scanned; everything else is small and decoded.
        if (d[0] === 0x34 && d[1] === 0x32 && d[2] === 0x5b) return this.onEvent(d);
        // An event that wants an ack (the server's application ping) is answered, as a real client does.
        if (d[0] === 0x34 && d[1] === 0x32) return ws.send(`43${d.toString('latin1', 2, d.indexOf(0x5b))}[]`);
        const s = d.toString();
        if (s === '2') return ws.send('3');
        if (s.startsWith('0{')) return ws.send(`40${JSON.stringify({ token })}`);
        if (s.startsWith('40')) {
          void (async () => {
            for (const [event, payload] of setup) {
              const reply = await this.command(event, payload);
              if (reply.includes('"error"')) throw new Error(`${event} refused: ${reply}`);
            }
          })().then(resolve, reject);
          return;
        }
        if (s.startsWith('44')) return reject(new Error(`refused: ${s}`));
        if (s.startsWith('43')) {
          const open = s.indexOf('[');
          const id = Number(s.slice(2, open));
          this.acks.get(id)?.(s.slice(open));
          this.acks.delete(id);
          return;
        }
      });
    });
  }

  command(event: string, payload: unknown): Promise<string> {
    const id = ++this.ackId;
    return new Promise((resolve) => {
      this.acks.set(id, resolve);
      this.ws.send(`42${id}${JSON.stringify([event, payload])}`);
    });
  }

  /** The `ws` wire has no acks: the reply to the publisher is the next frame. */
  publishRaw(payload: unknown): Promise<string> {
    return new Promise((resolve) => {
      this.acks.set(1, resolve);
      this.ws.send(JSON.stringify(payload));
    });
  }
}

let config: LoadConfig;
let scenario: Scenario;
const subscribers: Client[] = [];
let publisher: Client | null = null;

async function connect(c: LoadConfig): Promise<number> {
  config = c;
  scenario = SCENARIOS[c.scenario]!;
  let failed = 0;
  let next = 0;
  const worker = async () => {
    while (next < c.count) {
      const index = c.first + next++;
      const url = c.subscriberUrls?.length ? c.subscriberUrls[index % c.subscriberUrls.length]! : c.url;
      const client = new Client(scenario, url, c.token, scenario.setup(index), false);
      try {
        await client.ready;
        subscribers.push(client);
      } catch {
        failed++;
        client.ws.terminate();
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  if (c.publish) {
    publisher = new Client(scenario, c.url, c.token, [], true);
    await publisher.ready;
  }
  return failed;
}

async function run(plan: RunPlan): Promise<LoadResult> {
  const total = plan.warmup + plan.measured;
  const period = 1000 / plan.rate;
  const inWindow = (i: number) => i >= plan.warmup && i < total;
  const latencies: number[] = [];
  let received = 0;
  let expected = 0;
  for (let k = 0; k < subscribers.length; k++) {
    const index = config.first + k;
    const client = subscribers[k]!;
    if (scenario.slow?.(index)) {
      (client.ws as unknown as { _socket: { pause(): void } })._socket.pause();
      client.pausedAt = now();
      continue;
    }
    for (let i = plan.warmup; i < total; i++) if (scenario.expects(index, i)) expected++;
    client.onEvent = (frame) => {
      const at = now();
      eventIndexes(frame, (i) => {
        if (!inWindow(i)) return;
        received++;
        latencies.push(at - (plan.startAt + i * period));
      });
    };
  }
  let published = 0;
  let publishErrors = 0;
  if (publisher) {
    const p = publisher;
    let next = 0;
    const send = (i: number) => {
      const args = swarmCreateArgs(i);
      void (scenario.wire === 'ws' ? p.publishRaw(args) : p.command('swarm:create', args)).then((reply) => {
        if (reply.includes('"error"')) publishErrors++;
        else published++;
      });
    };
    await new Promise<void>((done) => {
      const tick = () => {
        const t = now();
        while (next < total && plan.startAt + next * period <= t) send(next++);
        if (next < total) setTimeout(tick, Math.max(0, plan.startAt + next * period - now()));
        else done();
      };
      setTimeout(tick, Math.max(0, plan.startAt - now()));
    });
  } else {
    await new Promise((r) => setTimeout(r, Math.max(0, plan.startAt + total * period - now())));
  }
  // Late deliveries still count (with their latency) until all arrived, none came for 1.5 s, or 5 s
  // passed; what has not arrived by then is counted lost.
  const giveUp = now() + DRAIN_MS;
  for (let last = -1, quiet = 0; received < expected && quiet < 15 && now() < giveUp; quiet = received === last ? quiet + 1 : 0, last = received) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const slow = subscribers.filter((s) => s.pausedAt > 0);
  const cut = slow.filter((s) => s.closed);
  return {
    received,
    expected,
    latencies,
    published,
    publishErrors,
    closed: subscribers.filter((s) => s.closed && s.pausedAt === 0).length,
    slow: slow.length,
    slowCut: cut.length,
    slowCutMs: Math.max(0, ...cut.map((s) => s.closedAt - s.pausedAt)),
  };
}

process.on('message', (msg: LoadRequest) => {
  if (msg.type === 'connect') void connect(msg.config).then((failed) => process.send!({ type: 'connected', failed }));
  else if (msg.type === 'run') void run(msg.plan).then((result) => process.send!({ type: 'result', result }));
  else {
    for (const s of subscribers) s.ws.terminate();
    publisher?.ws.terminate();
    process.exit(0);
  }
});
process.send!({ type: 'up' });
