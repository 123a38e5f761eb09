import { Worker } from 'node:worker_threads';
import type { ErrorCode } from '@procvision/manifest';
import type { FromWorker, ToWorker, WorkerStart } from './bridge-messages.js';

/** What the main thread learns from the algorithm worker. */
export interface AlgorithmWorkerEvents {
  /** Load and setup finished. */
  onReady(): void;
  /** Load or setup failed (1003 for a missing entry, else the error's code or 9999). */
  onLoadFailed(code: ErrorCode, message: string): void;
  /** The result of a call could not be written to stdout (the runner is gone). */
  onWriteFailed(requestId: string, error: string): void;
  /** `teardown()` finished (`error` when it threw). */
  onTeardownDone(error: string | undefined): void;
  /** The worker thread died on its own (uncaught error, `process.exit` in algorithm code). */
  onCrash(description: string): void;
}

/**
 * The main thread's handle on the worker thread that runs the algorithm. Requests are posted
 * as plain objects (one structured clone per hop); results go from the worker straight to
 * stdout (see `FrameOutput`); the worker's own stdout stream is piped to stderr.
 */
export class AlgorithmWorker {
  private readonly worker: Worker;
  private stopping = false;

  constructor(workerUrl: URL, start: WorkerStart, events: AlgorithmWorkerEvents) {
    this.worker = new Worker(workerUrl, { stdout: true, stderr: false, workerData: start });
    this.worker.stdout.pipe(process.stderr, { end: false });
    this.worker.on('message', (message: FromWorker) => {
      switch (message.kind) {
        case 'ready':
          return events.onReady();
        case 'load-failed':
          return events.onLoadFailed(message.code, message.message);
        case 'write-failed':
          return events.onWriteFailed(message.requestId, message.error);
        case 'teardown-done':
          return events.onTeardownDone(message.error);
      }
    });
    const crash = (description: string): void => {
      if (this.stopping) return;
      this.stopping = true;
      events.onCrash(description);
    };
    this.worker.on('error', (error) => crash(`uncaught ${error.name}: ${error.message}`));
    this.worker.on('exit', (code) => crash(`algorithm worker thread exited with code ${code}`));
  }

  /** Sends a request to the worker. */
  post(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  /** Stops the worker thread without waiting for it. */
  terminate(): void {
    this.stopping = true;
    void this.worker.terminate();
  }
}
