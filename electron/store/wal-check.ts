import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * Reads a SQLite write-ahead log the way SQLite's recovery does (header and
 * frame checksums, salts) to find damage that SQLite itself skips in silence:
 * it replays the valid prefix of the log and ignores everything after the
 * first bad frame, or the whole log when the header is bad.
 *
 * A torn tail (the last transaction cut short by a crash or power loss) is
 * normal and passes: a partial last frame, frames left from an older log
 * (other salts), or uncommitted frames of a transaction that never finished.
 * Damage is what no crash produces: a bad header in a log that holds frames, a
 * whole commit frame of this log that fails its checksum (the last committed
 * transaction, acknowledged, which SQLite would drop without a word), or a
 * committed transaction (a commit frame that checks out against the frame
 * before it) after the first bad frame.
 */
export type WalVerdict = { ok: true; frames: number; committedFrames: number } | { ok: false; reason: string };

const HEADER = 32;
const FRAME_HEADER = 24;
const MAGIC_LE = 0x377f0682;
const MAGIC_BE = 0x377f0683;
const VERSION = 3007000;

type Sum = [number, number];

function checksum(buf: Buffer, start: number, end: number, bigEndian: boolean, seed: Sum): Sum {
  let s0 = seed[0];
  let s1 = seed[1];
  for (let i = start; i < end; i += 8) {
    const x0 = bigEndian ? buf.readUInt32BE(i) : buf.readUInt32LE(i);
    const x1 = bigEndian ? buf.readUInt32BE(i + 4) : buf.readUInt32LE(i + 4);
    s0 = (s0 + x0 + s1) >>> 0;
    s1 = (s1 + x1 + s0) >>> 0;
  }
  return [s0, s1];
}

export function checkWal(file: string): WalVerdict {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return { ok: true, frames: 0, committedFrames: 0 };
    throw err;
  }
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return { ok: true, frames: 0, committedFrames: 0 };
    const read = (offset: number, length: number): Buffer => {
      const buf = Buffer.alloc(length);
      readSync(fd, buf, 0, length, offset);
      return buf;
    };
    if (size < HEADER) return { ok: false, reason: `the log is ${size} bytes, shorter than its header` };
    const header = read(0, HEADER);
    const magic = header.readUInt32BE(0);
    if (magic !== MAGIC_LE && magic !== MAGIC_BE) return { ok: false, reason: 'its header is damaged (bad magic number)' };
    const bigEndian = magic === MAGIC_BE;
    const pageSize = header.readUInt32BE(8);
    const validPageSize = pageSize >= 512 && pageSize <= 65_536 && (pageSize & (pageSize - 1)) === 0;
    const headerSum = checksum(header, 0, 24, bigEndian, [0, 0]);
    if (header.readUInt32BE(4) !== VERSION || !validPageSize || headerSum[0] !== header.readUInt32BE(24) || headerSum[1] !== header.readUInt32BE(28)) {
      const frames = Math.floor((size - HEADER) / (FRAME_HEADER + (validPageSize ? pageSize : 4096)));
      return { ok: false, reason: `its header is damaged (checksum mismatch), so SQLite would ignore all ${frames} frames in it` };
    }
    const salt1 = header.readUInt32BE(16);
    const salt2 = header.readUInt32BE(20);
    const frameSize = FRAME_HEADER + pageSize;
    const total = Math.floor((size - HEADER) / frameSize);
    let running: Sum = headerSum;
    let committedFrames = 0;
    let firstBad = -1;
    let previousStored: Sum = headerSum;
    for (let i = 0; i < total; i++) {
      const frame = read(HEADER + i * frameSize, frameSize);
      const saltsMatch = frame.readUInt32BE(8) === salt1 && frame.readUInt32BE(12) === salt2;
      const stored: Sum = [frame.readUInt32BE(16), frame.readUInt32BE(20)];
      const isCommit = frame.readUInt32BE(4) !== 0;
      if (firstBad < 0) {
        const sum = checksum(frame, FRAME_HEADER, frameSize, bigEndian, checksum(frame, 0, 8, bigEndian, running));
        if (saltsMatch && frame.readUInt32BE(0) !== 0 && sum[0] === stored[0] && sum[1] === stored[1]) {
          running = sum;
          if (isCommit) committedFrames = i + 1;
        } else if (saltsMatch && isCommit && frame.readUInt32BE(0) !== 0) {
          return {
            ok: false,
            reason: `frame ${i + 1} of ${total}, which commits a transaction, is damaged, so SQLite would silently drop that committed transaction${i + 1 < total ? ' and every one after it' : ''}`,
          };
        } else {
          firstBad = i;
        }
      } else if (saltsMatch && isCommit) {
        // Checked against the stored sum of the frame before it: a commit that was written whole after the bad frame.
        const local = checksum(frame, FRAME_HEADER, frameSize, bigEndian, checksum(frame, 0, 8, bigEndian, previousStored));
        if (local[0] === stored[0] && local[1] === stored[1]) {
          return {
            ok: false,
            reason: `frame ${firstBad + 1} of ${total} is damaged, so SQLite would silently drop the transactions committed after it (at least up to frame ${i + 1})`,
          };
        }
      }
      previousStored = stored;
    }
    return { ok: true, frames: total, committedFrames };
  } finally {
    closeSync(fd);
  }
}
