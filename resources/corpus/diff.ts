export type Edit = { op: 'keep' | 'add' | 'remove'; line: string };

/** Line diff via longest common subsequence; fine for files of a few thousand lines. */
export function diffLines(a: string[], b: string[]): Edit[] {
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const edits: Edit[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      edits.push({ op: 'keep', line: a[i]! });
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) {
      edits.push({ op: 'remove', line: a[i++]! });
    } else {
      edits.push({ op: 'add', line: b[j++]! });
    }
  }
  while (i < n) edits.push({ op: 'remove', line: a[i++]! });
  while (j < m) edits.push({ op: 'add', line: b[j++]! });
  return edits;
}

export function formatEdits(edits: Edit[]): string {
  const prefix = { keep: ' ', add: '+', remove: '-' } as const;
  return edits.map((e) => prefix[e.op] + e.line).join('\n');
}
