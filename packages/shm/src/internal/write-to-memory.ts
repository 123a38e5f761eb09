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

/** The header words of a segment held in memory, for {@link sequenceOf}; undefined if too small. */
export function headerWords(segment: Uint8Array): Int32Array | undefined {
  return segment.byteLength < HEADER_SIZE ? undefined : new Int32Array(segment.buffer, segment.byteOffset, HEADER_SIZE / 4);
}

/** The current sequence of a segment from its header words, as an unsigned 32-bit number. */
export function sequenceOf(words: Int32Array | undefined): number {
  return words === undefined ? -1 : Atomics.load(words, sequenceWord) >>> 0;
}
