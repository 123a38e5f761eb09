import type { AlgorithmWorker } from './algorithm-worker.js';
import type { AlgorithmExecutor, LoadFailure, ProtocolLink } from './adapter-protocol.js';
import { CallMailboxWriter } from './call-mailbox.js';
import type { EntryPoint } from './entry-point.js';
import { controlSlot } from './frame-output.js';
import { ProcVisionError, ErrorCodes } from '@procvision/manifest/errors';

/** What the worker executor drives. */
interface WorkerExecutorOptions {
  /** The algorithm worker, started (not yet loading). */
  worker: AlgorithmWorker;
  /** The control array shared with the worker (write lock, call-busy flag). */
  control: Int32Array;
  /** The call mailbox shared with the worker. */
  mailbox: SharedArrayBuffer;
  /** Finds the entry point (throws a 1003 error when there is none). */
  entry: () => EntryPoint;
  /** Most defect rects kept per execute result. */
  maxDefects: number;
}

/** How often shutdown looks again whether the worker's running call is answered. */
const idlePollMs = 5;

/**
 * Runs the algorithm in a worker thread: calls go through the shared mailbox (or a message),
 * the worker writes each result straight to stdout, and the busy flag in shared memory says
 * when a call runs. The protocol thread stays free to answer pings during a synchronous call.
 */
export class WorkerExecutor implements AlgorithmExecutor {
  private readonly options: WorkerExecutorOptions;
  private readonly mailbox: CallMailboxWriter;
  private loaded: ((failure: LoadFailure | undefined) => void) | undefined;
  private tornDown: ((error: string | undefined) => void) | undefined;

  constructor(options: WorkerExecutorOptions, link: ProtocolLink) {
    this.options = options;
    this.mailbox = new CallMailboxWriter(options.control, options.mailbox);
    options.worker.listen({
      onReady: () => this.loaded?.(undefined),
      onLoadFailed: (code, message) => this.loaded?.({ code, message }),
      onWriteFailed: (requestId, error) => link.writeFailed(requestId, error),
      onTeardownDone: (error) => this.tornDown?.(error),
      onCrash: (description) => link.crash(description),
    });
  }

  load(): Promise<LoadFailure | undefined> {
    let entry: EntryPoint;
    try {
      entry = this.options.entry();
    } catch (error) {
      const code = ProcVisionError.isInstance(error) ? error.code : ErrorCodes.unknownError;
      return Promise.resolve({ code, message: (error as Error).message });
    }
    return new Promise((resolve) => {
      this.loaded = resolve;
      this.options.worker.post({
        kind: 'load',
        root: entry.root,
        modulePath: entry.modulePath,
        exportName: entry.exportName,
        maxDefects: this.options.maxDefects,
      });
    });
  }

  call(requestId: string, data: Record<string, unknown>): undefined {
    Atomics.store(this.options.control, controlSlot.callBusy, 1);
    if (!this.mailbox.deliver({ requestId, data })) this.options.worker.post({ kind: 'call', requestId, data });
    return undefined;
  }

  /** True while the worker runs a call (it clears the flag just before writing the result). */
  busy(): boolean {
    return Atomics.load(this.options.control, controlSlot.callBusy) === 1;
  }

  idle(): Promise<void> {
    // The worker answers the running call itself; look again shortly (shutdown is not a hot path).
    return new Promise((resolve) => {
      const look = (): void => {
        if (this.busy()) setTimeout(look, idlePollMs);
        else resolve();
      };
      look();
    });
  }

  teardown(): Promise<string | undefined> {
    return new Promise((resolve) => {
      this.tornDown = resolve;
      this.options.worker.post({ kind: 'teardown' });
    });
  }

  /** Stops the worker (its last log lines reach stderr first). */
  stop(): Promise<void> {
    return this.options.worker.terminate();
  }
}
