import type { ErrorCode } from '@procvision/manifest';
import type { AdapterConnection } from '../adapter-connection.js';
import type { FailureReason } from '../call-outcome.js';
import { createDeferred, type Deferred } from './deferred.js';

/** What a caller waiting for a process gets: a ready connection, or why there is none. */
export type ConnectionAttempt = { ok: true; connection: AdapterConnection } | { ok: false; reason: FailureReason; code: ErrorCode; message: string };

/**
 * The promise callers wait on while a process is (re)starting. Each start attempt settles it
 * once: ready, or the attempt's failure; the next attempt opens a fresh one.
 */
export class ConnectionGate {
  private current: Deferred<ConnectionAttempt> = createDeferred();
  private settled = false;

  /** The outcome of the pending (or last) start attempt. */
  wait(): Promise<ConnectionAttempt> {
    return this.current.promise;
  }

  /** Settles the pending attempt (no-op when already settled). */
  settle(attempt: ConnectionAttempt): void {
    if (this.settled) return;
    this.settled = true;
    this.current.resolve(attempt);
  }

  /** Opens a fresh attempt if the last one is settled. */
  open(): void {
    if (!this.settled) return;
    this.current = createDeferred();
    this.settled = false;
  }
}
