import { randomInt } from 'node:crypto';
import { setDevSegment, clearDevImage } from '../dev-store.js';
import { registerSabPool, type SabPoolHandle, unregisterSabPool } from '../sab-pool.js';
import { type FrameFields, HEADER_SIZE } from './layout.js';
import { createNamedSegment, type WritableSegment } from './writable-segment.js';
import { writeFrameToMemory } from './write-to-memory.js';

/** Where a writer's slots live: one segment per slot, addressed by a shared_mem_id. */
export interface SlotStore {
  /** Writes a frame into `slot` (growing the segment if the backend can) and returns its id. */
  write(slot: number, fields: FrameFields, payload: Uint8Array): string;
  dispose(): void;
  sabPool?: SabPoolHandle;
}

// A random start: a runner restarted under the same pid (containers) never reuses a name that a
// reader may still have mapped.
let segmentCounter = randomInt(0, 2 ** 31);

/** The next owned segment name: `pv-<pid>-<n>` (at most 30 characters), never reused. */
function nextSegmentName(): string {
  segmentCounter += 1;
  return `pv-${process.pid}-${segmentCounter}`;
}

/** Named OS segments, created lazily per slot and re-created larger when a frame outgrows one. */
export function mmapSlotStore(slots: number, capacityBytes: number): SlotStore {
  const segments: Array<WritableSegment | undefined> = new Array<WritableSegment | undefined>(slots).fill(undefined);
  return {
    write(slot, fields, payload) {
      let segment = segments[slot];
      if (!segment || segment.capacity < payload.byteLength) {
        segment?.dispose();
        segment = createNamedSegment(nextSegmentName(), Math.max(capacityBytes, payload.byteLength));
        segments[slot] = segment;
      }
      segment.write(fields, payload);
      return `mmap:${segment.name}`;
    },
    dispose() {
      for (const segment of segments) segment?.dispose();
      segments.fill(undefined);
    },
  };
}

/** A SharedArrayBuffer pool of fixed capacity, registered in this thread. */
export function sabSlotStore(slots: number, capacityBytes: number): SlotStore {
  const handle: SabPoolHandle = {
    name: nextSegmentName(),
    segments: Array.from({ length: slots }, () => new SharedArrayBuffer(HEADER_SIZE + capacityBytes)),
  };
  registerSabPool(handle);
  return {
    sabPool: handle,
    write(slot, fields, payload) {
      if (payload.byteLength > capacityBytes) {
        throw new RangeError(
          `frame payload of ${payload.byteLength} bytes exceeds the SharedArrayBuffer pool capacity of ${capacityBytes} bytes: create the writer with a larger capacityBytes`,
        );
      }
      writeFrameToMemory(new Uint8Array(handle.segments[slot] as SharedArrayBuffer), fields, payload);
      return `sab:${handle.name}/${slot}`;
    },
    dispose: () => unregisterSabPool(handle.name),
  };
}

/** In-process dev store segments (same layout, plain memory): for tests and development. */
export function devSlotStore(slots: number, capacityBytes: number): SlotStore {
  const prefix = nextSegmentName();
  const segments: Array<Uint8Array | undefined> = new Array<Uint8Array | undefined>(slots).fill(undefined);
  return {
    write(slot, fields, payload) {
      let segment = segments[slot];
      if (!segment || segment.byteLength - HEADER_SIZE < payload.byteLength) {
        segment = new Uint8Array(new SharedArrayBuffer(HEADER_SIZE + Math.max(capacityBytes, payload.byteLength)));
        segments[slot] = segment;
      }
      writeFrameToMemory(segment, fields, payload);
      setDevSegment(`${prefix}-${slot}`, segment);
      return `dev-shm:${prefix}-${slot}`;
    },
    dispose() {
      for (let slot = 0; slot < slots; slot += 1) clearDevImage(`${prefix}-${slot}`);
    },
  };
}
