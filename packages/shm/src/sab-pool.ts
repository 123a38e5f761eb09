import { ImageLoadError } from './image-load-error.js';
import { snapshotOfMemory } from './internal/read-segment.js';
import type { SegmentSnapshot } from './internal/segment-snapshot.js';

/**
 * A SharedArrayBuffer pool as it crosses to a worker thread: post it with
 * `worker.postMessage(handle)` (SharedArrayBuffers are shared, not copied), then call
 * {@link registerSabPool} in the worker so `sab:<name>/<slot>` ids resolve there.
 */
export interface SabPoolHandle {
  /** The pool name used in `sab:<name>/<slot>` ids. */
  name: string;
  /** One SharedArrayBuffer per slot, each a 64-byte header plus payload capacity. */
  segments: SharedArrayBuffer[];
}

const pools = new Map<string, SharedArrayBuffer[]>();

/** Makes the pool's `sab:` ids readable in this thread (call it in each worker that reads). */
export function registerSabPool(handle: SabPoolHandle): void {
  if (
    !handle ||
    typeof handle.name !== 'string' ||
    !Array.isArray(handle.segments) ||
    !handle.segments.every((segment) => segment instanceof SharedArrayBuffer)
  ) {
    throw new TypeError('registerSabPool expects {name: string, segments: SharedArrayBuffer[]} as produced by a FrameWriter (writer.sabPool)');
  }
  pools.set(handle.name, handle.segments);
}

/** Forgets a pool in this thread; its ids then fail with `unknown-id`. */
export function unregisterSabPool(name: string): void {
  pools.delete(name);
}

/** The handle of a pool registered (or created) in this thread, for posting to a worker. */
export function sabPoolHandle(name: string): SabPoolHandle | undefined {
  const segments = pools.get(name);
  return segments === undefined ? undefined : { name, segments };
}

/** Reads slot `slot` of pool `pool` (zero-copy view of the SharedArrayBuffer). */
export function readSabSegment(pool: string, slot: number, sharedMemId: string): SegmentSnapshot {
  const segments = pools.get(pool);
  if (!segments) {
    throw new ImageLoadError(
      'unknown-id',
      sharedMemId,
      `SharedArrayBuffer pool ${JSON.stringify(pool)} is not registered in this thread (call registerSabPool with the writer's pool handle)`,
    );
  }
  const segment = segments[slot];
  if (!segment) throw new ImageLoadError('unknown-id', sharedMemId, `pool ${JSON.stringify(pool)} has ${segments.length} slots, no slot ${slot}`);
  return snapshotOfMemory(new Uint8Array(segment), sharedMemId);
}
