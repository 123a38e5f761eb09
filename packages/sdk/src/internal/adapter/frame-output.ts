import { writeSync } from 'node:fs';

/** Slots of the control array shared by the main thread and the algorithm worker. */
export const controlSlot = {
  /** 1 while a thread writes a frame to stdout. */
  writeLock: 0,
  /** 1 while a call is in flight; the worker clears it just before it writes the result. */
  callBusy: 1,
  /** Never set: a place to sleep on while stdout is full. */
  sleep: 2,
  /** State of the call mailbox (see `call-mailbox.ts`). */
  mailbox: 3,
  /** Length of the call JSON in the mailbox. */
  mailboxBytes: 4,
} as const;

/** A control array over a SharedArrayBuffer, to post to the worker. */
export function createControl(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(8 * 4));
}

/**
 * Writes whole frames to stdout (fd 1) from either thread. A lock in shared memory keeps two
 * threads' frames from interleaving; each frame is written synchronously, so the worker can
 * send a result straight to the runner without a hop back through the main thread.
 */
export class FrameOutput {
  private readonly control: Int32Array;
  private readonly fd: number;

  constructor(control: Int32Array, fd = 1) {
    this.control = control;
    this.fd = fd;
  }

  /** Writes one encoded frame; throws on EPIPE and other write errors. */
  write(frame: Uint8Array): void {
    const { control } = this;
    while (Atomics.compareExchange(control, controlSlot.writeLock, 0, 1) !== 0) {
      Atomics.wait(control, controlSlot.writeLock, 1, 5);
    }
    try {
      let offset = 0;
      while (offset < frame.byteLength) {
        try {
          offset += writeSync(this.fd, frame, offset, frame.byteLength - offset);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
          Atomics.wait(control, controlSlot.sleep, 0, 1);
        }
      }
    } finally {
      Atomics.store(control, controlSlot.writeLock, 0);
      Atomics.notify(control, controlSlot.writeLock, 1);
    }
  }
}
