import { ImageLoadError } from '../image-load-error.js';
import { COLOR_SPACES, ENCODINGS, type FrameHeader, HEADER_SIZE, LAYOUT_VERSION, MAGIC, OFFSET } from './layout.js';

/**
 * Reads and checks the header at the start of `segment` (the mapped segment, or a buffer
 * holding at least its first 64 bytes when `segmentSize` is given):
 * magic, version, header size, even sequence, length <= capacity, header + length <= segment
 * size, known encoding and colour space, and width*height*channels == length for raw frames.
 * Never reads outside `segment`. Throws {@link ImageLoadError} (`bad-header`, `being-written`).
 */
export function verifyHeader(segment: Uint8Array, sharedMemId: string, segmentSize = segment.byteLength): FrameHeader {
  const bad = (message: string): never => {
    throw new ImageLoadError('bad-header', sharedMemId, message);
  };
  if (segment.byteLength < HEADER_SIZE) bad(`segment is ${segment.byteLength} bytes, smaller than the ${HEADER_SIZE}-byte header`);
  const view = new DataView(segment.buffer, segment.byteOffset, HEADER_SIZE);
  for (let index = 0; index < MAGIC.length - 1; index += 1) {
    if (view.getUint8(OFFSET.magic + index) !== MAGIC[index]) bad('magic is not "PVSHM\\0\\0" (not a ProcVision segment)');
  }
  const version = view.getUint8(OFFSET.magic + 7);
  if (version !== LAYOUT_VERSION) bad(`layout version is ${version}, this reader supports ${LAYOUT_VERSION}`);
  const headerSize = view.getUint32(OFFSET.headerSize, true);
  if (headerSize !== HEADER_SIZE) bad(`header size is ${headerSize}, expected ${HEADER_SIZE}`);
  const sequence = view.getUint32(OFFSET.sequence, true);
  if (sequence % 2 === 1) {
    throw new ImageLoadError('being-written', sharedMemId, `sequence ${sequence} is odd: the writer is in the middle of a write`);
  }
  const payloadLength = view.getUint32(OFFSET.payloadLength, true);
  const capacity = view.getUint32(OFFSET.capacity, true);
  if (payloadLength > capacity) bad(`payload length ${payloadLength} exceeds capacity ${capacity}`);
  if (HEADER_SIZE + payloadLength > segmentSize) {
    bad(`header + payload length ${HEADER_SIZE + payloadLength} exceeds the segment size ${segmentSize}`);
  }
  const encoding = ENCODINGS[view.getUint16(OFFSET.encoding, true)];
  if (encoding === undefined) bad(`encoding ${view.getUint16(OFFSET.encoding, true)} is not 0 (raw), 1 (JPEG) or 2 (PNG)`);
  const colorSpace = COLOR_SPACES[view.getUint16(OFFSET.colorSpace, true)];
  if (colorSpace === undefined) bad(`color space ${view.getUint16(OFFSET.colorSpace, true)} is not 0 (RGB), 1 (BGR) or 2 (GRAY)`);
  const width = view.getUint32(OFFSET.width, true);
  const height = view.getUint32(OFFSET.height, true);
  const channels = view.getUint32(OFFSET.channels, true);
  if (width === 0 || height === 0) bad(`width ${width} x height ${height} is empty`);
  if (payloadLength === 0) bad('payload is empty');
  if (encoding === 'raw') {
    if (channels !== 1 && channels !== 3) bad(`raw frame has ${channels} channels, expected 1 or 3`);
    if ((channels === 1) !== (colorSpace === 'GRAY')) bad(`raw frame has ${channels} channel(s) but color space ${colorSpace}`);
    if (width * height * channels !== payloadLength) {
      bad(`raw frame ${width}x${height}x${channels} = ${width * height * channels} bytes but payload length is ${payloadLength}`);
    }
  }
  return {
    sequence,
    payloadLength,
    capacity,
    encoding: encoding as FrameHeader['encoding'],
    colorSpace: colorSpace as FrameHeader['colorSpace'],
    width,
    height,
    channels,
    timestampMs: view.getFloat64(OFFSET.timestampMs, true),
    frameId: view.getUint32(OFFSET.frameId, true),
    crc32c: view.getUint32(OFFSET.crc32c, true),
  };
}
