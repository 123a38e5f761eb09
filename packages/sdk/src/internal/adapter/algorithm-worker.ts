import { Worker } from 'node:worker_threads';
import type { ErrorCode } from '@procvision/manifest';
import type { FromWorker, ToWorker, WorkerStart } from './bridge-messages.js';

/** What the main thread learns from the algorithm worker. */
interface AlgorithmWorkerEvents {
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
 * The thread starts at once (its imports overlap the main thread's); what it reports before
 * {@link AlgorithmWorker.listen} is kept and delivered then.
 */
export class AlgorithmWorker {
  private readonly worker: Worker;
  private stopping = false;
  private exited = false;
  private events: AlgorithmWorkerEvents | undefined;
  private readonly early: ((events: AlgorithmWorkerEvents) => void)[] = [];

  constructor(workerUrl: URL, start: WorkerStart) {
    this.worker = new Worker(workerUrl, { stdout: true, stderr: false, workerData: start });
    this.worker.stdout.pipe(process.stderr, { end: false });
    this.worker.on('message', (message: FromWorker) => {
      switch (message.kind) {
        case 'ready':
          return this.emit((events) => events.onReady());
        case 'load-failed':
          return this.emit((events) => events.onLoadFailed(message.code, message.message));
        case 'write-failed':
          return this.emit((events) => events.onWriteFailed(message.requestId, message.error));
        case 'teardown-done':
          return this.emit((events) => events.onTeardownDone(message.error));
      }
    });
    const crash = (description: string): void => {
      if (this.stopping) return;
      this.stopping = true;
      this.emit((events) => events.onCrash(description));
    };
    this.worker.on('error', (error) => crash(`uncaught ${error.name}: ${error.message}`));
    this.worker.on('exit', (code) => {
      this.exited = true;
      crash(`algorithm worker thread exited with code ${code}`);
    });
  }

  /** Starts delivering events (first those that came before). */
  listen(events: AlgorithmWorkerEvents): void {
    this.events = events;
    for (const deliver of this.early.splice(0)) deliver(events);
  }

  /** Sends a request to the worker. */
  post(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  /**
   * Stops the worker thread. Resolves once it has exited (its last stdout/stderr lines are
   * then written to stderr), or after `timeoutMs` at the latest.
   */
  terminate(timeoutMs = 500): Promise<void> {
    this.stopping = true;
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      void this.worker.terminate();
    });
  }

  private emit(deliver: (events: AlgorithmWorkerEvents) => void): void {
    if (this.events === undefined) this.early.push(deliver);
    else deliver(this.events);
  }
}
