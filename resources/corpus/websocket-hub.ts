interface Socket {
  id: string;
  send(data: string): void;
  readyState: number;
}

const OPEN = 1;

/** Tracks sockets per room and fans messages out. */
export class Hub {
  private readonly rooms = new Map<string, Set<Socket>>();

  join(room: string, socket: Socket): void {
    let members = this.rooms.get(room);
    if (!members) {
      members = new Set();
      this.rooms.set(room, members);
    }
    members.add(socket);
  }

  leave(room: string, socket: Socket): void {
    const members = this.rooms.get(room);
    if (!members) return;
    members.delete(socket);
    if (members.size === 0) this.rooms.delete(room);
  }

  leaveAll(socket: Socket): void {
    for (const room of [...this.rooms.keys()]) this.leave(room, socket);
  }

  broadcast(room: string, event: string, payload: unknown, except?: Socket): number {
    const members = this.rooms.get(room);
    if (!members) return 0;
    const message = JSON.stringify({ event, payload });
    let sent = 0;
    for (const socket of members) {
      if (socket === except || socket.readyState !== OPEN) continue;
      socket.send(message);
      sent++;
    }
    return sent;
  }
}
