/** Segment layout v1 (docs/spec/shared-memory.md): a 64-byte little-endian header, then the payload. */
export const HEADER_SIZE = 64;
/** The segment layout version this package reads and writes (the magic's last byte). */
export const LAYOUT_VERSION = 1;
/** `PVSHM\0\0\1`: the last byte is the layout version. */
export const MAGIC = Uint8Array.of(0x50, 0x56, 0x53, 0x48, 0x4d, 0x00, 0x00, LAYOUT_VERSION);

export const OFFSET = {
  magic: 0,
  headerSize: 8,
  sequence: 12,
  payloadLength: 16,
  capacity: 20,
  encoding: 24,
  colorSpace: 26,
  width: 28,
  height: 32,
  channels: 36,
  timestampMs: 40,
  frameId: 48,
  crc32c: 52,
  reserved: 56,
} as const;

/** Payload encodings, as stored at offset 24. */
export const ENCODINGS = ['raw', 'jpeg', 'png'] as const;
/** A payload encoding. */
export type FrameEncoding = (typeof ENCODINGS)[number];
/** Colour spaces, as stored at offset 26. */
export const COLOR_SPACES = ['RGB', 'BGR', 'GRAY'] as const;
/** A pixel colour space. */
export type ColorSpace = (typeof COLOR_SPACES)[number];

/** The header fields a writer sets (sequence, capacity and magic are managed by the segment). */
export interface FrameFields {
  encoding: FrameEncoding;
  colorSpace: ColorSpace;
  width: number;
  height: number;
  /** Raw frames: 1 or 3; encoded frames: 0. */
  channels: number;
  timestampMs: number;
  /** Increments per write of the writer (0 for dev-store entries). */
  frameId: number;
  /** CRC-32C of the payload, 0 when not computed. */
  crc32c: number;
}

/** Every header field as read from a segment. */
export interface FrameHeader extends FrameFields {
  sequence: number;
  payloadLength: number;
  capacity: number;
}

/** Writes every header field except the sequence into `header` (64 bytes at segment start). */
export function writeHeaderFields(view: DataView, fields: FrameFields, payloadLength: number, capacity: number): void {
  for (let index = 0; index < MAGIC.length; index += 1) view.setUint8(OFFSET.magic + index, MAGIC[index] ?? 0);
  view.setUint32(OFFSET.headerSize, HEADER_SIZE, true);
  view.setUint32(OFFSET.payloadLength, payloadLength, true);
  view.setUint32(OFFSET.capacity, capacity, true);
  view.setUint16(OFFSET.encoding, ENCODINGS.indexOf(fields.encoding), true);
  view.setUint16(OFFSET.colorSpace, COLOR_SPACES.indexOf(fields.colorSpace), true);
  view.setUint32(OFFSET.width, fields.width, true);
  view.setUint32(OFFSET.height, fields.height, true);
  view.setUint32(OFFSET.channels, fields.channels, true);
  view.setFloat64(OFFSET.timestampMs, fields.timestampMs, true);
  view.setUint32(OFFSET.frameId, fields.frameId >>> 0, true);
  view.setUint32(OFFSET.crc32c, fields.crc32c >>> 0, true);
  view.setBigUint64(OFFSET.reserved, 0n, true);
}
