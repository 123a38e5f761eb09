import { ImageLoadError } from './image-load-error.js';

/** The three shared-memory backends named by a shared_mem_id prefix. */
export type ShmBackend = 'dev-shm' | 'sab' | 'mmap';

/** A parsed shared_mem_id. */
export type SharedMemIdParts = { backend: 'dev-shm'; key: string } | { backend: 'sab'; pool: string; slot: number } | { backend: 'mmap'; name: string };

const segmentNamePattern = /^[A-Za-z0-9._-]{1,30}$/;
const poolNamePattern = /^[A-Za-z0-9._-]{1,64}$/;

/** True when `name` is a valid mmap segment name: `[A-Za-z0-9._-]`, 1 to 30 characters. */
export function isSegmentName(name: string): boolean {
  return segmentNamePattern.test(name);
}

/**
 * Splits a shared_mem_id into its backend and address:
 * `dev-shm:<key>`, `sab:<pool>/<slot>` or `mmap:<name>`.
 * Throws {@link ImageLoadError} (reason `invalid-id`) for anything else.
 */
export function parseSharedMemId(sharedMemId: string): SharedMemIdParts {
  const fail = (expected: string): never => {
    throw new ImageLoadError('invalid-id', String(sharedMemId), `expected ${expected}`);
  };
  if (typeof sharedMemId !== 'string') return fail('a string shared_mem_id');
  if (sharedMemId.startsWith('dev-shm:')) {
    const key = sharedMemId.slice('dev-shm:'.length);
    return key.length > 0 ? { backend: 'dev-shm', key } : fail('a non-empty key after "dev-shm:"');
  }
  if (sharedMemId.startsWith('sab:')) {
    const match = /^sab:([^/]+)\/(\d{1,6})$/.exec(sharedMemId);
    if (!match || !poolNamePattern.test(match[1] ?? '')) return fail('"sab:<pool>/<slot>" with pool in [A-Za-z0-9._-] and a slot number');
    return { backend: 'sab', pool: match[1] ?? '', slot: Number(match[2]) };
  }
  if (sharedMemId.startsWith('mmap:')) {
    const name = sharedMemId.slice('mmap:'.length);
    return isSegmentName(name) ? { backend: 'mmap', name } : fail('"mmap:<name>" with name of 1-30 chars in [A-Za-z0-9._-]');
  }
  return fail('a "dev-shm:", "sab:" or "mmap:" prefix');
}
