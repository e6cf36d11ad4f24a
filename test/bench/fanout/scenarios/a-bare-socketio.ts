import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { Scenario } from '../scenario';
import { swarmCreatedPayload } from './wire-payload';

/** Bare Socket.IO: accepts anyone, joins a room on `subscribe`, broadcasts one `swarm:created` per `swarm:create`. */
export const bareSocketIo: Scenario = {
  name: 'A',
  about: 'bare Socket.IO: a room per channel, one broadcast per event, nothing else',
  wire: 'socket.io',
  setup: () => [['subscribe', { channels: ['swarms'] }]],
  expects: () => true,
  async start() {
    const http = createServer();
    const io = new Server(http, { transports: ['websocket'], serveClient: false, perMessageDeflate: false, pingInterval: 25_000, pingTimeout: 20_000 });
    let seq = 0;
    io.on('connection', (socket) => {
      socket.on('subscribe', (spec: { channels: string[] }, ack: (r: unknown) => void) => {
        for (const c of spec.channels) void socket.join(c);
        ack({ subscriptions: Object.fromEntries(spec.channels.map((c) => [c, { filter: {}, exclude: [] }])) });
      });
      socket.on('swarm:create', (args: { name: string; topology: string }, ack: (r: unknown) => void) => {
        const payload = swarmCreatedPayload(++seq, args.name, args.topology);
        io.to('swarms').emit('swarm:created', payload);
        ack(payload);
      });
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    return {
      url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
      close: async () => {
        await io.close();
      },
    };
  },
};
