import { open, readFile } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { z } from 'zod';

/**
 * What a record says about its step (the frame bytes follow it in the record). Written by the
 * recorder, read by `GET /records`, `runner records`, export and replay.
 */
export const recordHeaderSchema = z.object({
  /** `<pid>/<segment>/<index>`: unique in the store. */
  id: z.string(),
  /** When the step ended (ISO 8601). */
  at: z.string(),
  pid: z.string(),
  package: z.object({ name: z.string(), version: z.string() }),
  step_index: z.number().int(),
  session_id: z.string(),
  context: z.record(z.string(), z.unknown()),
  user_params: z.record(z.string(), z.unknown()),
  verdict: z.enum(['OK', 'NG', 'ERROR']),
  error_code: z.string().nullable(),
  message: z.string(),
  /** The validated execute result (defect rects ...), when there was one. */
  execute: z.unknown().nullable(),
  step_ms: z.number(),
  frame: z.object({
    encoding: z.enum(['jpeg', 'png', 'raw']),
    width: z.number().int(),
    height: z.number().int(),
    channels: z.number().int().optional(),
    color_space: z.string().optional(),
    bytes: z.number().int(),
  }),
});

/** The header of a record (see {@link recordHeaderSchema}). */
export type RecordHeader = z.infer<typeof recordHeaderSchema>;

/** Magic of every record: `PVR1`. */
const magic = 0x31525650;
/** Magic, payload length, CRC-32 of the payload, header length. */
const prefixBytes = 16;

/**
 * Encodes one record as the buffers to write in order (no copy of the frame): a 16-byte prefix
 * (magic, payload length, CRC-32 of the payload, header length), the header JSON, the frame bytes.
 */
export function encodeRecord(header: RecordHeader, frame: Uint8Array): Uint8Array[] {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.allocUnsafe(prefixBytes);
  prefix.writeUInt32LE(magic, 0);
  prefix.writeUInt32LE(json.length + frame.length, 4);
  prefix.writeUInt32LE(crc32(frame, crc32(json)), 8);
  prefix.writeUInt32LE(json.length, 12);
  return [prefix, json, frame];
}

/** A record found in a segment file: its header and where its frame bytes are. */
export interface SegmentRecord {
  header: RecordHeader;
  /** Segment file path. */
  file: string;
  frameOffset: number;
  frameLength: number;
}

/**
 * Reads the records of a segment file in order. A torn or damaged record (a crash mid-write,
 * a bad checksum) ends the segment: it and what follows are skipped, and `torn` says so.
 */
export async function readSegment(file: string): Promise<{ records: SegmentRecord[]; torn: boolean }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], torn: false };
    throw error;
  }
  const records: SegmentRecord[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (bytes.length - offset < prefixBytes || bytes.readUInt32LE(offset) !== magic) return { records, torn: true };
    const length = bytes.readUInt32LE(offset + 4);
    const headerLength = bytes.readUInt32LE(offset + 12);
    const start = offset + prefixBytes;
    if (start + length > bytes.length || headerLength > length) return { records, torn: true };
    if (crc32(bytes.subarray(start, start + length)) !== bytes.readUInt32LE(offset + 8)) return { records, torn: true };
    const parsed = recordHeaderSchema.safeParse(safeJson(bytes.subarray(start, start + headerLength).toString('utf8')));
    if (!parsed.success) return { records, torn: true };
    records.push({ header: parsed.data, file, frameOffset: start + headerLength, frameLength: length - headerLength });
    offset = start + length;
  }
  return { records, torn: false };
}

/** The frame bytes of a record. */
export async function readRecordFrame(record: SegmentRecord): Promise<Buffer> {
  const handle = await open(record.file, 'r');
  try {
    const frame = Buffer.alloc(record.frameLength);
    await handle.read(frame, 0, record.frameLength, record.frameOffset);
    return frame;
  } finally {
    await handle.close();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
