import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ColorSpace } from './internal/layout.js';

/** Pixel layout for {@link writeDevPixels}. */
export interface DevPixelLayout {
  width: number;
  height: number;
  channels: 1 | 3;
  colorSpace: ColorSpace;
}

/** Optional size (and colour space) of encoded bytes stored with {@link writeDevImageBytes}. */
export interface DevImageBytesMeta {
  width?: number;
  height?: number;
  colorSpace?: ColorSpace;
}

/** One entry of the in-process dev store. */
export type DevEntry =
  | { kind: 'encoded'; bytes: Uint8Array; meta: DevImageBytesMeta; path?: string }
  | { kind: 'npy'; bytes: Uint8Array; path: string }
  | { kind: 'pixels'; pixels: Uint8Array; layout: DevPixelLayout }
  | { kind: 'segment'; bytes: Uint8Array };

const store = new Map<string, DevEntry>();

/** `dev-shm:<key>` or a bare key -> the key. */
function devKey(id: string): string {
  return id.startsWith('dev-shm:') ? id.slice('dev-shm:'.length) : id;
}

/** The directory of the Python SDK file convention: `$PROC_SHM_DIR`, default `<tmpdir>/procvision_dev_shm`. */
function devShmDirectory(): string {
  return process.env['PROC_SHM_DIR'] || join(tmpdir(), 'procvision_dev_shm');
}

/**
 * The file name the Python SDK gives a shared_mem_id: the WHOLE id (`dev-shm:` prefix included)
 * with every character outside [A-Za-z0-9._-] replaced by `_`, plus `.bin` (encoded bytes)
 * or `.npy` (a NumPy array): `dev-shm:session-1` -> `dev-shm_session-1.bin`.
 */
export function devShmFileName(sharedMemId: string, extension: '.bin' | '.npy'): string {
  return `${sharedMemId.replace(/[^A-Za-z0-9._-]/g, '_')}${extension}`;
}

/**
 * The `.bin` file of the Python SDK convention for a `dev-shm:` id or bare key, in
 * `$PROC_SHM_DIR` (see {@link devShmFileName}; a bare key gets the `dev-shm:` prefix).
 */
export function devShmFilePath(idOrKey: string): string {
  return join(devShmDirectory(), devShmFileName(`dev-shm:${devKey(idOrKey)}`, '.bin'));
}

/** The older stem our own tools wrote before: the key alone, sanitised (`session-1.bin`). */
function legacyDevShmFilePath(key: string): string {
  return join(devShmDirectory(), `${key.replace(/[^A-Za-z0-9._-]/g, '_')}.bin`);
}

/** Every file a `dev-shm:` key may be stored in, in the order they are tried. */
function devShmCandidatePaths(key: string): string[] {
  const id = `dev-shm:${key}`;
  return [join(devShmDirectory(), devShmFileName(id, '.npy')), join(devShmDirectory(), devShmFileName(id, '.bin')), legacyDevShmFilePath(key)];
}

/**
 * Stores encoded image bytes (JPEG/PNG) under a `dev-shm:` id in this process (the Python
 * SDK's "write image bytes to shared memory" helper). The bytes are copied.
 */
export function writeDevImageBytes(id: string, bytes: Uint8Array, meta: DevImageBytesMeta = {}): void {
  if (!(bytes instanceof Uint8Array) || bytes.byteLength === 0) throw new TypeError('writeDevImageBytes: bytes must be a non-empty Uint8Array');
  store.set(devKey(id), { kind: 'encoded', bytes: Uint8Array.from(bytes), meta: { ...meta } });
}

/**
 * Stores a pixel array (HWC, 8-bit) under a `dev-shm:` id in this process (the Python SDK's
 * "write image array to shared memory" helper). The pixels are copied.
 */
export function writeDevPixels(id: string, pixels: Uint8Array, layout: DevPixelLayout): void {
  const expected = layout.width * layout.height * layout.channels;
  if (!(pixels instanceof Uint8Array) || pixels.byteLength !== expected) {
    throw new RangeError(`writeDevPixels: pixels must be ${layout.width}x${layout.height}x${layout.channels} = ${expected} bytes, got ${pixels?.byteLength}`);
  }
  store.set(devKey(id), { kind: 'pixels', pixels: Uint8Array.from(pixels), layout: { ...layout } });
}

/** Stores a whole in-memory segment (header + payload) under a key (used by the dev-shm writer). */
export function setDevSegment(key: string, bytes: Uint8Array): void {
  store.set(key, { kind: 'segment', bytes });
}

/**
 * Removes an id from the dev store and deletes its Python-convention file if there is one
 * (the Python SDK's "clear shared memory" helper). Returns true when something was removed.
 */
export function clearDevImage(id: string): boolean {
  const key = devKey(id);
  let removed = store.delete(key);
  for (const path of devShmCandidatePaths(key)) {
    if (existsSync(path)) {
      unlinkSync(path);
      removed = true;
    }
  }
  return removed;
}

/**
 * The entry for `key`: the Map first, then the Python-convention files in `$PROC_SHM_DIR`
 * (`<whole id>.npy`, `<whole id>.bin`, then the older `<key>.bin`); undefined if none.
 */
export function lookupDevEntry(key: string): DevEntry | undefined {
  const entry = store.get(key);
  if (entry) return entry;
  const [npyPath, binPath, legacyPath] = devShmCandidatePaths(key) as [string, string, string];
  const npy = readIfFile(npyPath);
  if (npy) return { kind: 'npy', bytes: npy, path: npyPath };
  for (const path of [binPath, legacyPath]) {
    const bytes = readIfFile(path);
    if (bytes) return { kind: 'encoded', bytes, meta: {}, path };
  }
  return undefined;
}

function readIfFile(path: string): Uint8Array | undefined {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
