import { type FrameFields, HEADER_SIZE, OFFSET, writeHeaderFields } from './layout.js';

const sequenceWord = OFFSET.sequence / 4;

/**
 * Seqlock write of one frame into a segment held in memory (a mapping or a SharedArrayBuffer):
 * sequence to odd, payload and fields, sequence to even (Atomics.store: release order).
 */
export function writeFrameToMemory(segment: Uint8Array, fields: FrameFields, payload: Uint8Array): void {
  const capacity = segment.byteLength - HEADER_SIZE;
  const words = new Int32Array(segment.buffer, segment.byteOffset, HEADER_SIZE / 4);
  const current = Atomics.load(words, sequenceWord);
  const odd = current % 2 === 0 ? (current + 1) | 0 : current;
  Atomics.store(words, sequenceWord, odd);
  segment.set(payload, HEADER_SIZE);
  writeHeaderFields(new DataView(segment.buffer, segment.byteOffset, HEADER_SIZE), fields, payload.byteLength, capacity);
  Atomics.store(words, sequenceWord, (odd + 1) | 0);
}

/** The current sequence of a segment held in memory, as an unsigned 32-bit number. */
export function sequenceOf(segment: Uint8Array): number {
  if (segment.byteLength < HEADER_SIZE) return -1;
  return Atomics.load(new Int32Array(segment.buffer, segment.byteOffset, HEADER_SIZE / 4), sequenceWord) >>> 0;
}
