import { rmSync, writeFileSync } from 'node:fs';

/** Header fields of a hand-made segment (defaults: a valid 4x2 raw RGB frame). */
export interface CraftedHeader {
  magic?: string;
  version?: number;
  headerSize?: number;
  sequence?: number;
  payloadLength?: number;
  capacity?: number;
  encoding?: number;
  colorSpace?: number;
  width?: number;
  height?: number;
  channels?: number;
}

/** Builds a segment byte string with the v1 layout and `segmentSize` total bytes. */
export function craftSegment(fields: CraftedHeader = {}, segmentSize = 64 + 24): Buffer {
  const bytes = Buffer.alloc(segmentSize);
  const header = Buffer.alloc(64);
  header.write(fields.magic ?? 'PVSHM\0\0', 0, 'latin1');
  header.writeUInt8(fields.version ?? 1, 7);
  header.writeUInt32LE(fields.headerSize ?? 64, 8);
  header.writeUInt32LE(fields.sequence ?? 2, 12);
  header.writeUInt32LE(fields.payloadLength ?? 24, 16);
  header.writeUInt32LE(fields.capacity ?? 24, 20);
  header.writeUInt16LE(fields.encoding ?? 0, 24);
  header.writeUInt16LE(fields.colorSpace ?? 0, 26);
  header.writeUInt32LE(fields.width ?? 4, 28);
  header.writeUInt32LE(fields.height ?? 2, 32);
  header.writeUInt32LE(fields.channels ?? 3, 36);
  header.copy(bytes, 0, 0, Math.min(64, segmentSize));
  return bytes;
}

/** Writes a hand-made segment into /dev/shm under a test name and returns [id, cleanup]. */
export function placeSegment(label: string, bytes: Buffer): [string, () => void] {
  const name = `pvt-${process.pid}-${label}`.slice(0, 30);
  const path = `/dev/shm/${name}`;
  writeFileSync(path, bytes, { mode: 0o600 });
  return [`mmap:${name}`, () => rmSync(path, { force: true })];
}
