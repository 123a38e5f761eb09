import { closeSync, ftruncateSync, mkdirSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { type FrameFields, HEADER_SIZE, OFFSET, writeHeaderFields } from './layout.js';
import { nativeAddon } from './native-addon.js';
import { segmentDirectory, segmentPath } from './segment-directory.js';
import { writeFrameToMemory } from './write-to-memory.js';

/** A segment the writer owns: write frames into it, dispose (unmap + unlink) at the end. */
export interface WritableSegment {
  readonly name: string;
  readonly capacity: number;
  write(fields: FrameFields, payload: Uint8Array): void;
  dispose(): void;
}

/** Creates named segment `name` (0600) holding `capacity` payload bytes: native mapping or file. */
export function createNamedSegment(name: string, capacity: number): WritableSegment {
  const addon = nativeAddon();
  const size = HEADER_SIZE + capacity;
  if (addon) {
    let buffer: ArrayBuffer | undefined = addon.create(name, size);
    const bytes = new Uint8Array(buffer);
    return {
      name,
      capacity,
      write: (fields, payload) => writeFrameToMemory(bytes, fields, payload),
      dispose: () => {
        if (buffer) addon.close(buffer);
        buffer = undefined;
        addon.unlink(name);
      },
    };
  }
  return createFileSegment(name, capacity);
}

function createFileSegment(name: string, capacity: number): WritableSegment {
  mkdirSync(segmentDirectory(), { recursive: true, mode: 0o700 });
  const path = segmentPath(name);
  let fd: number | undefined = openSync(path, 'wx', 0o600);
  ftruncateSync(fd, HEADER_SIZE + capacity);
  const header = new Uint8Array(HEADER_SIZE);
  const view = new DataView(header.buffer);
  let sequence = 0;
  const sequenceBytes = new Uint8Array(4);
  const writeSequence = (handle: number): void => {
    new DataView(sequenceBytes.buffer).setUint32(0, sequence >>> 0, true);
    writeSync(handle, sequenceBytes, 0, 4, OFFSET.sequence);
  };
  return {
    name,
    capacity,
    write: (fields, payload) => {
      if (fd === undefined) throw new Error(`segment ${name} was already disposed`);
      sequence = (sequence + 1) | 0;
      writeSequence(fd);
      writeSync(fd, payload, 0, payload.byteLength, HEADER_SIZE);
      writeHeaderFields(view, fields, payload.byteLength, capacity);
      view.setUint32(OFFSET.sequence, sequence >>> 0, true);
      writeSync(fd, header, 0, HEADER_SIZE, 0);
      sequence = (sequence + 1) | 0;
      writeSequence(fd);
    },
    dispose: () => {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
      try {
        unlinkSync(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    },
  };
}
