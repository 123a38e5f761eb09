import type { ErrorCode } from '@procvision/manifest';

/** What the worker gets at start (`workerData`). */
export interface WorkerStart {
  /** The control array shared with the main thread (see `controlSlot`). */
  control: Int32Array;
  /** The call mailbox (see `call-mailbox.ts`). */
  mailbox: SharedArrayBuffer;
}

/** Main thread -> worker. */
export type ToWorker =
  | { kind: 'load'; root: string; modulePath: string; exportName: string; maxDefects: number }
  | { kind: 'call'; requestId: string; data: Record<string, unknown> }
  | { kind: 'teardown' };

/** Worker -> main thread. Results go straight to stdout; only a failed write is reported. */
export type FromWorker =
  | { kind: 'ready' }
  | { kind: 'load-failed'; code: ErrorCode; message: string }
  | { kind: 'write-failed'; requestId: string; error: string }
  | { kind: 'teardown-done'; error?: string };
