import WebSocket from 'ws';

/** A raw Engine.IO v4 WebSocket: frames as strings, no Socket.IO client library. */
export class RawSocket {
  readonly frames: string[] = [];
  private waiters: { match: (f: string) => boolean; resolve: (f: string) => void }[] = [];
  closed: Promise<{ code: number }>;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const frame = isBinary ? `<binary ${data.length}>` : data.toString();
      if (frame === '2') return void ws.send('3'); // heartbeat
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => (w.match(frame) ? (w.resolve(frame), false) : true));
    });
    this.closed = new Promise((resolve) => ws.on('close', (code: number) => resolve({ code })));
  }

  static async open(url: string): Promise<RawSocket> {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
    const raw = new RawSocket(ws);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return raw;
  }

  next(match: (f: string) => boolean, ms = 3000): Promise<string> {
    const seen = this.frames.find(match);
    if (seen) {
      this.frames.splice(this.frames.indexOf(seen), 1);
      return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching frame within ${ms} ms; got ${JSON.stringify(this.frames)}`)), ms);
      this.waiters.push({
        match,
        resolve: (f) => {
          clearTimeout(timer);
          this.frames.splice(this.frames.indexOf(f), 1);
          resolve(f);
        },
      });
    });
  }

  send(frame: string | Buffer): void {
    this.ws.send(frame);
  }

  /** Opens the default namespace with `auth` and returns the CONNECT frame. */
  async connect(auth?: unknown): Promise<string> {
    await this.next((f) => f.startsWith('0{'));
    this.send(auth === undefined ? '40' : `40${JSON.stringify(auth)}`);
    return this.next((f) => f.startsWith('40') || f.startsWith('44'));
  }

  async call(id: number, event: string, ...args: unknown[]): Promise<unknown> {
    this.send(`42${id}${JSON.stringify([event, ...args])}`);
    const frame = await this.next((f) => f.startsWith(`43${id}[`));
    return (JSON.parse(frame.slice(2 + String(id).length)) as unknown[])[0];
  }

  close(): void {
    this.ws.close();
  }
}
