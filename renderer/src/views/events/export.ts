import type { LoggedEvent } from '../../lib/stores/events.svelte';

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

export function exportJson(events: LoggedEvent[]): void {
  const rows = events.map((e) => ({ time: new Date(e.at).toISOString(), channel: e.channel, event: e.event, severity: e.severity, payload: e.payload }));
  download(`zenflow-events-${stamp()}.json`, 'application/json', `${JSON.stringify(rows, null, 2)}\n`);
}

const csvCell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export function exportCsv(events: LoggedEvent[]): void {
  const lines = ['time,channel,event,severity,payload'];
  for (const e of events) {
    lines.push([new Date(e.at).toISOString(), e.channel, e.event, e.severity, JSON.stringify(e.payload)].map(csvCell).join(','));
  }
  download(`zenflow-events-${stamp()}.csv`, 'text/csv', `${lines.join('\r\n')}\r\n`);
}
