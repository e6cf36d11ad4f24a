import type { Comment } from '@babel/types';
import type { LineIndex } from './lines';
import type { Finding } from './schema';

// Upper case only: lower-case "hack" or "xxx" in prose is not a marker.
const MARKER = /\b(TODO|FIXME|XXX|HACK)\b[\s:]*([^\n\r\u2028\u2029]*)/g;
const MAX_NOTE = 120;

/** One `todo-comment` finding per marker, located at the marker itself. */
export function todoFindings(comments: readonly Comment[], index: LineIndex): Finding[] {
  const findings: Finding[] = [];
  for (const comment of comments) {
    // Both `//` and `/*` put the value two characters after the comment's start.
    const valueStart = comment.start ?? 0;
    for (const match of comment.value.matchAll(MARKER)) {
      const note = (match[2] ?? '').trim();
      const message = note ? `${match[1]}: ${note.slice(0, MAX_NOTE)}` : `${match[1]} comment`;
      findings.push({ rule: 'todo-comment', severity: 'info', message, ...index.position(valueStart + 2 + match.index) });
    }
  }
  return findings;
}
