/**
 * Hostile clients with a valid token, in a process of their own so that their work does not slow the
 * measuring client: `tsx test/helpers/hostile-clients.ts <url> <token>` runs until stdin closes.
 * Deep and wide frames, pong floods, parser-backtracking analyses and wrong-token floods.
 */
import { RawSocket } from './raw-socket';

const [url, token] = process.argv.slice(2) as [string, string];
let stop = false;
process.stdin.on('close', () => (stop = true));
process.stdin.resume();

const deep = `42["pong",${'['.repeat(200_000)}${']'.repeat(200_000)}]`;
const wide = `421["task:create",${JSON.stringify({ title: 'x', description: 'y'.repeat(4000), requirements: Array.from({ length: 5000 }, (_, i) => `r${i}`) })}]`;
const backtrack = '42["task:execute:immediate",{"type":"code-analysis","input":"f<a>(g<b>(f<a>(g<b>(f<a>(g<b>(f<a>(g<b>("}]';
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function withToken(kind: number): Promise<void> {
  while (!stop) {
    const raw = await RawSocket.open(url).catch(() => null);
    if (!raw) {
      await pause(20);
      continue;
    }
    try {
      await raw.connect({ token });
      for (let i = 0; i < 10 && !stop; i++) {
        raw.send(kind % 2 === 0 ? deep : wide);
        raw.send(`42["pong",{"sent":${i}}]`);
        raw.send(backtrack);
        await pause(20);
      }
    } catch {
      // Refused or dropped: try again.
    }
    raw.close();
  }
}

async function wrongTokens(): Promise<void> {
  while (!stop) {
    const raw = await RawSocket.open(url).catch(() => null);
    if (!raw) {
      await pause(20);
      continue;
    }
    await raw.next((f) => f.startsWith('0{')).catch(() => undefined);
    for (let i = 0; i < 10; i++) raw.send(`40{"token":"guess-${i}"}`);
    await Promise.race([raw.closed, pause(200)]);
    raw.close();
  }
}

await Promise.all([...Array.from({ length: 8 }, (_, k) => withToken(k)), wrongTokens()]);
process.exit(0);
