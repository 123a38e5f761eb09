import { controlSlot } from './frame-output.js';

/** States of `controlSlot.mailbox`. */
const mailbox = { loop: 0, waiting: 1, delivered: 2, posted: 3 } as const;

/** A call as it crosses from the main thread to the worker. */
/** Bytes of the mailbox: calls above it (rare: big user params) are posted as messages. */
const mailboxBytes = 64 * 1024;

/** A mailbox buffer, to post to the worker with the control array. */
export function createMailbox(): SharedArrayBuffer {
  return new SharedArrayBuffer(mailboxBytes);
}

/** A call as it crosses from the main thread to the worker. */
interface MailboxCall {
  requestId: string;
  data: Record<string, unknown>;
}

/** The shared state word and bytes of the mailbox, as both sides see them. */
abstract class MailboxSlots {
  protected readonly control: Int32Array;
  protected readonly bytes: Buffer;

  constructor(control: Int32Array, bytes: SharedArrayBuffer) {
    this.control = control;
    this.bytes = Buffer.from(bytes);
  }
}

/**
 * A one-slot mailbox in shared memory for the next call, used only while the idle worker is
 * blocked in `Atomics.wait` right after a result (see {@link CallMailboxReader.waitForCall}):
 * then the main thread writes the call's JSON there and wakes the worker with
 * `Atomics.notify`, which is cheaper than `postMessage` (no event-loop wake-up, no message
 * event). At any other time the call goes as a message (see {@link CallMailboxWriter.deliver}).
 */
export class CallMailboxWriter extends MailboxSlots {
  /**
   * Hands the call to the worker when it waits in the mailbox and returns true; else marks the
   * mailbox `posted` (so the worker does not start waiting for a call that is on its way as a
   * message) and returns false: post it as a message then.
   */
  deliver(call: MailboxCall): boolean {
    const { control } = this;
    for (;;) {
      if (Atomics.load(control, controlSlot.mailbox) === mailbox.waiting && this.write(call)) {
        if (Atomics.compareExchange(control, controlSlot.mailbox, mailbox.waiting, mailbox.delivered) === mailbox.waiting) {
          Atomics.notify(control, controlSlot.mailbox);
          return true;
        }
      }
      // The worker is in its event loop (or the call is too big): it gets a message.
      const state = Atomics.compareExchange(control, controlSlot.mailbox, mailbox.loop, mailbox.posted);
      if (state === mailbox.loop || state === mailbox.posted) return false;
      if (!this.fits) {
        Atomics.store(control, controlSlot.mailbox, mailbox.posted);
        Atomics.notify(control, controlSlot.mailbox);
        return false;
      }
    }
  }

  private fits = true;

  private write(call: MailboxCall): boolean {
    // Buffer.write stops before a character that does not fit: room for 4 more bytes means all fit.
    const written = this.bytes.write(JSON.stringify(call), 0, 'utf8');
    this.fits = written <= this.bytes.byteLength - 4;
    if (this.fits) this.control[controlSlot.mailboxBytes] = written;
    return this.fits;
  }
}

/** The worker's side of the mailbox (see {@link CallMailboxWriter}). */
export class CallMailboxReader extends MailboxSlots {
  /**
   * Blocks up to `timeoutMs` for the next call. Use it only when the worker has nothing else
   * to do (no timers, no I/O of the algorithm pending): the event loop does not run meanwhile.
   * Returns `undefined` on timeout; messages posted meanwhile are handled when it returns.
   */
  waitForCall(timeoutMs: number): MailboxCall | undefined {
    const { control } = this;
    if (Atomics.compareExchange(control, controlSlot.mailbox, mailbox.loop, mailbox.waiting) !== mailbox.loop) return undefined;
    Atomics.wait(control, controlSlot.mailbox, mailbox.waiting, timeoutMs);
    const state = Atomics.compareExchange(control, controlSlot.mailbox, mailbox.waiting, mailbox.loop);
    if (state !== mailbox.delivered) return undefined;
    const length = control[controlSlot.mailboxBytes] ?? 0;
    const call = JSON.parse(this.bytes.toString('utf8', 0, length)) as MailboxCall;
    Atomics.store(control, controlSlot.mailbox, mailbox.loop);
    return call;
  }

  /** Call on every call that arrives as a message: the mailbox is free again. */
  messageArrived(): void {
    Atomics.store(this.control, controlSlot.mailbox, mailbox.loop);
  }
}
