import type { ImageMeta } from '@procvision/manifest';
import { ErrorCodes, ProcVisionError } from '@procvision/manifest/errors';
import { crc32c } from './internal/crc32c.js';
import { onProcessExit } from '@procvision/manifest/process-exit';
import { checkFrame, type Frame } from './internal/check-frame.js';
import { devSlotStore, mmapSlotStore, sabSlotStore, type SlotStore } from './internal/slot-store.js';
import { cleanupOrphanSegments } from './orphan-cleanup.js';
import type { SabPoolHandle } from './sab-pool.js';

/** Options of {@link createFrameWriter}. */
export interface FrameWriterOptions {
  /** `mmap` (default: across processes), `sab` (worker threads) or `dev-shm` (this process). */
  backend?: 'mmap' | 'sab' | 'dev-shm';
  /** Ring size: how many frames may be held by running calls at once (default 4). */
  slots?: number;
  /** Payload bytes per slot (default 1920*1200*3). mmap and dev-shm grow a slot on demand; sab cannot. */
  capacityBytes?: number;
  /** Compute CRC-32C of each payload into the header (readers then verify it). Default false. */
  checksum?: boolean;
}

/** What {@link FrameWriter.write} returns: the slot to release later and the call's image fields. */
export interface WrittenFrame {
  slot: number;
  sharedMemId: string;
  /** image_meta for the call (color_space always set; timestamp_ms rounded to whole ms). */
  imageMeta: Required<ImageMeta>;
}

/** The runner side: a ring of slots; a slot is rewritten only after it is released. */
export interface FrameWriter {
  readonly backend: 'mmap' | 'sab' | 'dev-shm';
  readonly slots: number;
  /** The SharedArrayBuffer pool to post to worker threads (`sab` backend only). */
  readonly sabPool: SabPoolHandle | undefined;
  /** Writes a frame into a free slot (seqlock) and holds the slot until {@link FrameWriter.release}. */
  write(frame: Frame): WrittenFrame;
  /** Frees a slot once the call that used it has its outcome (result, error or timeout). */
  release(slot: number): void;
  /** How many slots are held. */
  heldCount(): number;
  /** Unmaps and unlinks every segment (also done on exit and SIGINT/SIGTERM). */
  close(): void;
}

let orphansSwept = false;
const defaultCapacity = 1920 * 1200 * 3;

/**
 * Creates the runner's frame writer. The first `mmap` writer of a process first removes
 * orphan segments of dead runners ({@link cleanupOrphanSegments}).
 */
export function createFrameWriter(options: FrameWriterOptions = {}): FrameWriter {
  const backend = options.backend ?? 'mmap';
  const slots = options.slots ?? 4;
  const capacityBytes = options.capacityBytes ?? defaultCapacity;
  if (!Number.isInteger(slots) || slots < 1 || slots > 1024) throw new RangeError(`slots must be an integer from 1 to 1024, got ${slots}`);
  if (!Number.isInteger(capacityBytes) || capacityBytes < 1 || capacityBytes > 0xffff_ffff - 64) {
    throw new RangeError(`capacityBytes must be a positive integer below 4 GiB, got ${capacityBytes}`);
  }
  if (backend === 'mmap' && !orphansSwept) {
    orphansSwept = true;
    cleanupOrphanSegments();
  }
  const store: SlotStore =
    backend === 'mmap' ? mmapSlotStore(slots, capacityBytes) : backend === 'sab' ? sabSlotStore(slots, capacityBytes) : devSlotStore(slots, capacityBytes);
  const held = new Array<boolean>(slots).fill(false);
  let nextSlot = 0;
  let frameId = 0;
  let closed = false;
  const unregister = onProcessExit(() => store.dispose());

  return {
    backend,
    slots,
    sabPool: store.sabPool,
    write(frame) {
      if (closed) throw new Error('FrameWriter is closed');
      const { fields, payload } = checkFrame(frame);
      let slot = -1;
      for (let step = 0; step < slots; step += 1) {
        const candidate = (nextSlot + step) % slots;
        if (!held[candidate]) {
          slot = candidate;
          break;
        }
      }
      if (slot < 0) {
        throw new ProcVisionError(
          ErrorCodes.unknownError,
          `all ${slots} frame slots are held by running calls: release a slot after its call's outcome, or create the writer with more slots`,
          { details: { slots } },
        );
      }
      frameId = (frameId + 1) >>> 0;
      const timestampMs = frame.timestampMs ?? Date.now();
      const sharedMemId = store.write(slot, { ...fields, timestampMs, frameId, crc32c: options.checksum ? crc32c(payload) : 0 }, payload);
      held[slot] = true;
      nextSlot = (slot + 1) % slots;
      const imageMeta = {
        width: fields.width,
        height: fields.height,
        timestamp_ms: Math.max(0, Math.round(timestampMs)),
        camera_id: frame.cameraId ?? 'default',
        color_space: fields.colorSpace,
      };
      return { slot, sharedMemId, imageMeta };
    },
    release(slot) {
      if (!Number.isInteger(slot) || slot < 0 || slot >= slots) throw new RangeError(`slot must be an integer from 0 to ${slots - 1}, got ${slot}`);
      held[slot] = false;
    },
    heldCount: () => held.filter(Boolean).length,
    close() {
      if (closed) return;
      closed = true;
      unregister();
      store.dispose();
    },
  };
}
