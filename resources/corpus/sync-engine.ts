export interface Record_ {
  id: string;
  version: number;
  updatedAt: number;
  deleted?: boolean;
  data: Record<string, unknown>;
}

export interface SyncResult {
  toPush: Record_[];
  toApply: Record_[];
  conflicts: { local: Record_; remote: Record_ }[];
}

// Two-way sync between the offline store and the server.
export async function reconcile(local: Record_[], remote: Record_[], lastSync: number, onConflict?: (l: Record_, r: Record_) => Record_ | null): Promise<SyncResult> {
  const result: SyncResult = { toPush: [], toApply: [], conflicts: [] };
  const remoteById = new Map(remote.map((r) => [r.id, r]));
  for (const l of local) {
    const r = remoteById.get(l.id);
    if (!r) {
      if (!l.deleted && l.updatedAt > lastSync) result.toPush.push(l);
      continue;
    }
    remoteById.delete(l.id);
    if (l.version === r.version) continue;
    const localChanged = l.updatedAt > lastSync;
    const remoteChanged = r.updatedAt > lastSync;
    if (localChanged && remoteChanged) {
      if (onConflict) {
        try {
          const winner = onConflict(l, r);
          if (winner) {
            if (winner === l) {
              result.toPush.push(l);
            } else {
              result.toApply.push(winner);
            }
          } else {
            result.conflicts.push({ local: l, remote: r });
          }
        } catch {}
      } else {
        result.conflicts.push({ local: l, remote: r });
      }
    } else if (localChanged) {
      result.toPush.push(l);
    } else if (remoteChanged || r.version > l.version) {
      result.toApply.push(r);
    }
  }
  for (const r of remoteById.values()) {
    if (!r.deleted) result.toApply.push(r);
  }
  return result;
}

export function bumpVersion(record: Record_, now: number): Record_ {
  return { ...record, version: record.version + 1, updatedAt: now };
}
