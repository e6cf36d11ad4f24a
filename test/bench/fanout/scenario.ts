import { TOPOLOGIES } from '../../../shared/protocol/commands';

/**
 * One fan-out scenario: a server started in the bench's server process, and what each of the load
 * generator's subscribers says to it once connected. A new scenario is one module in ./scenarios
 * registered in ./scenarios/index.ts.
 */
export interface ServerHandle {
  /** Base URL the load generator connects to (the publisher always; subscribers unless `subscriberUrls`). */
  url: string;
  /** Where subscribers connect instead, subscriber `index` to `subscriberUrls[index % length]`. */
  subscriberUrls?: string[];
  /** The token every connection authenticates with (Socket.IO wire), if the server wants one. */
  token?: string;
  /**
   * CPU and memory of the processes that serve, when that is not the bench's server process itself
   * (a cluster of `zenflow serve` processes). Memory is wanted only when `withMemory` is set.
   */
  usage?(withMemory: boolean): Promise<ServerUsage>;
  close(): Promise<void>;
}

export interface ServerUsage {
  /** User plus system CPU time so far. */
  cpuMicros: number;
  heapUsed: number;
  rss: number;
}

export interface Scenario {
  name: string;
  about: string;
  /** `socket.io`: Engine.IO v4 frames over a WebSocket; `ws`: one JSON text frame per event. */
  wire: 'socket.io' | 'ws';
  /** Commands (event, payload) subscriber `index` sends, each awaiting its ack, before the run starts. */
  setup(index: number): [string, unknown][];
  /** Whether subscriber `index` is meant to receive event `eventIndex` through its filters (for loss). */
  expects(index: number, eventIndex: number): boolean;
  /** Whether subscriber `index` stops reading once the run starts (a slow consumer the server must cut off). */
  slow?(index: number): boolean;
  /** Starts the server; runs in the server process. */
  start(): Promise<ServerHandle>;
}

/** What the publisher asks for per event: the name carries the event's index in the schedule. */
export const swarmCreateArgs = (i: number) => ({ name: `b${i}`, topology: TOPOLOGIES[i % TOPOLOGIES.length]!, agents: 1 });
