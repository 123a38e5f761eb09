import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { ImageLoadError } from '../image-load-error.js';
import { HEADER_SIZE, OFFSET } from './layout.js';
import { forgetStaleMapping, mappingFor, releaseMapping } from './mapping-cache.js';
import { nativeAddon, type NativeShm } from './native-addon.js';
import { segmentPath } from './segment-directory.js';
import type { SegmentSnapshot } from './segment-snapshot.js';
import { verifyHeader } from './verify-header.js';
import { headerWords, sequenceOf } from './write-to-memory.js';

/** A verified snapshot of a segment held in memory (a mapping or a SharedArrayBuffer). */
export function snapshotOfMemory(segment: Uint8Array, sharedMemId: string, release: () => void = () => {}): SegmentSnapshot {
  const header = verifyHeader(segment, sharedMemId);
  const payload = segment.subarray(HEADER_SIZE, HEADER_SIZE + header.payloadLength);
  const words = headerWords(segment);
  if (sequenceOf(words) !== header.sequence) {
    throw new ImageLoadError('torn-frame', sharedMemId, 'the sequence changed while the header was read: the frame was rewritten under the reader');
  }
  return { header, payload, isIntact: () => sequenceOf(words) === header.sequence, release };
}

/** Reads `mmap:<name>`: a zero-copy view of the cached read-only mapping, or the file backend. */
export function readNamedSegment(name: string, sharedMemId: string): SegmentSnapshot {
  const addon = nativeAddon();
  if (!addon) return readSegmentFile(name, sharedMemId);
  try {
    return readMapping(addon, name, sharedMemId);
  } catch (error) {
    // A cached mapping of a segment since unlinked or replaced: remap once and retry.
    if (forgetStaleMapping(name)) return readMapping(addon, name, sharedMemId);
    throw error;
  }
}

function readMapping(addon: NativeShm, name: string, sharedMemId: string): SegmentSnapshot {
  const mapping = mappingFor(addon, name, sharedMemId);
  mapping.holds += 1;
  let released = false;
  const release = (): void => {
    if (!released) releaseMapping(mapping);
    released = true;
  };
  try {
    return snapshotOfMemory(mapping.bytes, sharedMemId, release);
  } catch (error) {
    release();
    throw error;
  }
}

const fileBuffers = new Map<string, Buffer>();

function readAt(fd: number, target: Uint8Array, position: number): void {
  let done = 0;
  while (done < target.byteLength) {
    const count = readSync(fd, target, done, target.byteLength - done, position + done);
    if (count === 0) return;
    done += count;
  }
}

function fileSequence(path: string): number {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return -1;
  }
  try {
    const bytes = Buffer.alloc(4);
    readAt(fd, bytes, OFFSET.sequence);
    return bytes.readUInt32LE(0);
  } finally {
    closeSync(fd);
  }
}

/**
 * The pure-JS file backend: reads the segment file (/dev/shm/<name> on Linux) into a buffer
 * reused per name (one copy). The view stays valid until the next read of the same name.
 */
function readSegmentFile(name: string, sharedMemId: string): SegmentSnapshot {
  const path = segmentPath(name);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new ImageLoadError('unknown-id', sharedMemId, `no shared-memory segment file ${path}`, { cause: error });
  }
  try {
    const segmentSize = fstatSync(fd).size;
    const head = Buffer.alloc(HEADER_SIZE);
    readAt(fd, head, 0);
    const header = verifyHeader(head, sharedMemId, segmentSize);
    let buffer = fileBuffers.get(name);
    if (!buffer || buffer.byteLength < header.payloadLength) {
      buffer = Buffer.allocUnsafeSlow(header.payloadLength);
      fileBuffers.set(name, buffer);
    }
    const payload = buffer.subarray(0, header.payloadLength);
    readAt(fd, payload, HEADER_SIZE);
    const isIntact = (): boolean => fileSequence(path) === header.sequence;
    if (!isIntact()) throw new ImageLoadError('torn-frame', sharedMemId, 'the sequence changed while the segment file was read');
    return { header, payload, isIntact, release: () => {} };
  } finally {
    closeSync(fd);
  }
}
