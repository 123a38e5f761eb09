import { statSync } from 'node:fs';
import { ImageLoadError } from '../image-load-error.js';
import { nativeAddon, type NativeShm } from './native-addon.js';
import { segmentPath } from './segment-directory.js';

/** A read-only mapping of a named segment kept open across reads (page tables stay warm). */
interface CachedMapping {
  readonly name: string;
  readonly bytes: Uint8Array;
  holds: number;
  inode: bigint | undefined;
  buffer: ArrayBuffer;
}

const maxMappings = 64;
const mappings = new Map<string, CachedMapping>();

function inodeOf(name: string): bigint | undefined | null {
  if (process.platform !== 'linux') return undefined;
  const status = statSync(segmentPath(name), { bigint: true, throwIfNoEntry: false });
  return status === undefined ? null : status.ino;
}

function closeMapping(addon: NativeShm, mapping: CachedMapping): void {
  mappings.delete(mapping.name);
  if (mapping.holds === 0) addon.close(mapping.buffer);
}

function evictIdle(addon: NativeShm): void {
  for (const mapping of mappings.values()) {
    if (mappings.size < maxMappings) return;
    if (mapping.holds === 0) closeMapping(addon, mapping);
  }
}

/**
 * The read-only mapping of segment `name`, opened once and reused without a system call:
 * writers never reuse a name (`pv-<pid>-<n>` with n counting up from a random start), so a
 * cached name always denotes the same segment. {@link forgetMapping} drops a stale entry.
 */
export function mappingFor(addon: NativeShm, name: string, sharedMemId: string): CachedMapping {
  const cached = mappings.get(name);
  if (cached) {
    mappings.delete(name);
    mappings.set(name, cached);
    return cached;
  }
  const inode = inodeOf(name);
  if (inode === null) throw new ImageLoadError('unknown-id', sharedMemId, `no shared-memory segment named ${JSON.stringify(name)}`);
  let buffer: ArrayBuffer;
  try {
    buffer = addon.open(name);
  } catch (error) {
    const missing = (error as { code?: string }).code === 'E2';
    throw new ImageLoadError('unknown-id', sharedMemId, missing ? `no shared-memory segment named ${JSON.stringify(name)}` : (error as Error).message, {
      cause: error,
    });
  }
  evictIdle(addon);
  const mapping: CachedMapping = { name, bytes: new Uint8Array(buffer), holds: 0, inode: inode ?? undefined, buffer };
  mappings.set(name, mapping);
  return mapping;
}

/**
 * Drops the cached mapping of `name` when its segment was unlinked or replaced (checked by
 * inode on Linux). The reader calls it when a verified read fails, before reporting.
 */
export function forgetStaleMapping(name: string): boolean {
  const addon = nativeAddon();
  const cached = mappings.get(name);
  if (!addon || !cached) return false;
  const inode = inodeOf(name);
  if (inode === undefined || inode === cached.inode) return false;
  closeMapping(addon, cached);
  return true;
}

/** Drops one hold; closes the mapping if it was evicted meanwhile. */
export function releaseMapping(mapping: CachedMapping): void {
  mapping.holds -= 1;
  const addon = nativeAddon();
  if (mapping.holds === 0 && mappings.get(mapping.name) !== mapping && addon) addon.close(mapping.buffer);
}

/** Closes every idle cached mapping (views into them then read as empty). */
export function closeReaderMappings(): void {
  const addon = nativeAddon();
  if (!addon) return;
  for (const mapping of [...mappings.values()]) closeMapping(addon, mapping);
}
