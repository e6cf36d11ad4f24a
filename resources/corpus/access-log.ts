export interface LogEntry {
  ip: string;
  time: Date;
  method: string;
  path: string;
  status: number;
  bytes: number;
  agent: string;
}

const LINE = /^(\S+) \S+ \S+ \[([^\]]+)\] "(\S+) (\S+) [^"]*" (\d{3}) (\d+|-) "[^"]*" "([^"]*)"$/;

export function parseLine(line: string): LogEntry | null {
  const m = LINE.exec(line);
  if (!m) return null;
  return {
    ip: m[1]!,
    time: new Date(m[2]!.replace(':', ' ')),
    method: m[3]!,
    path: m[4]!,
    status: Number(m[5]),
    bytes: m[6] === '-' ? 0 : Number(m[6]),
    agent: m[7]!,
  };
}

/** Summarises a log: status classes, top paths, suspected bots. */
export function summarize(entries: LogEntry[]): { statuses: Record<string, number>; topPaths: [string, number][]; bots: number } {
  const statuses: Record<string, number> = {};
  const paths = new Map<string, number>();
  let bots = 0;
  for (const e of entries) {
    const cls = `${Math.floor(e.status / 100)}xx`;
    statuses[cls] = (statuses[cls] ?? 0) + 1;
    paths.set(e.path, (paths.get(e.path) ?? 0) + 1);
    if (/bot|crawl|spider/i.test(e.agent) || (e.agent === '' && e.method === 'GET')) bots++;
  }
  const topPaths = [...paths].sort((a, b) => b[1] - a[1]).slice(0, 10);
  return { statuses, topPaths, bots };
}
