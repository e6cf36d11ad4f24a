import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Scenario } from '../scenario';
import { swarmCreatedPayload } from './wire-payload';

/**
 * Raw `ws`: no Engine.IO or Socket.IO framing. Subscribers connect to `/`, the publisher to
 * `/publish` and sends the `swarm:create` arguments as JSON; each event is stringified once and
 * sent to every subscriber.
 */
export const rawWs: Scenario = {
  name: 'B',
  about: 'raw ws: one JSON text frame per event, stringified once',
  wire: 'ws',
  setup: () => [],
  expects: () => true,
  async start() {
    const http = createServer();
    const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
    const subscribers = new Set<WebSocket>();
    let seq = 0;
    wss.on('connection', (ws, req) => {
      if (req.url?.startsWith('/publish')) {
        ws.on('message', (data: Buffer) => {
          const args = JSON.parse(data.toString()) as { name: string; topology: string };
          const payload = swarmCreatedPayload(++seq, args.name, args.topology);
          const frame = JSON.stringify(['swarm:created', payload]);
          for (const s of subscribers) s.send(frame);
          ws.send(JSON.stringify(payload));
        });
        return;
      }
      subscribers.add(ws);
      ws.on('close', () => subscribers.delete(ws));
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    return {
      url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
      close: async () => {
        for (const s of wss.clients) s.terminate();
        await new Promise((r) => wss.close(r));
        await new Promise((r) => http.close(r));
      },
    };
  },
};
