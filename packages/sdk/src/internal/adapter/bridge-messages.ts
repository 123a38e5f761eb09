import type { ErrorCode } from '@procvision/manifest';

/** Main thread -> worker. */
export type ToWorker =
  | { kind: 'load'; root: string; modulePath: string; exportName: string; maxDefects: number }
  | { kind: 'call'; requestId: string; data: Record<string, unknown> }
  | { kind: 'teardown' };

/** Worker -> main thread. */
export type FromWorker =
  | { kind: 'ready' }
  | { kind: 'load-failed'; code: ErrorCode; message: string }
  | { kind: 'result'; requestId: string; frame: Record<string, unknown> }
  | { kind: 'teardown-done'; error?: string };
