import { createLogger } from '../../logger.js';
import type { AlgorithmWorker } from './algorithm-worker.js';
import { resolveEntryPoint } from './entry-point.js';
import type { FrameOutput } from './frame-output.js';
import { AdapterProtocol } from './adapter-protocol.js';
import { WorkerExecutor } from './worker-executor.js';

/** How the adapter was started. */
interface AdapterServerOptions {
  /** Absolute package root (already the working directory). */
  root: string;
  /** Command-line arguments after the script (for `--entry`). */
  argv: readonly string[];
  /** The only way to write to stdout, shared with the worker through `control`. */
  output: FrameOutput;
  /** The control array shared with the worker (write lock, call-busy flag). */
  control: Int32Array;
  /** The call mailbox shared with the worker. */
  mailbox: SharedArrayBuffer;
  /** The algorithm worker, started (not yet loading). */
  worker: AlgorithmWorker;
  /** Most defect rects kept per execute result. */
  maxDefects: number;
}

/**
 * The worker-thread adapter's main thread (`hello` is already sent): the
 * {@link AdapterProtocol} over a {@link WorkerExecutor}, fed by `process.stdin`, so pings are
 * answered while a synchronous call runs in the worker. See docs/spec/protocol.md.
 */
export class AdapterServer {
  private readonly protocol: AdapterProtocol;

  constructor(options: AdapterServerOptions) {
    const logger = createLogger({ fields: { component: 'procvision-adapter' } });
    this.protocol = new AdapterProtocol(
      { write: (frame) => options.output.write(frame), stopReading: () => process.stdin.pause(), exit: (code) => process.exit(code), logger },
      (link) =>
        new WorkerExecutor(
          {
            worker: options.worker,
            control: options.control,
            mailbox: options.mailbox,
            entry: () => resolveEntryPoint(options.root, options.argv),
            maxDefects: options.maxDefects,
          },
          link,
        ),
    );
  }

  /** Starts reading stdin. */
  start(): void {
    process.stdin.on('data', (chunk: Buffer) => this.protocol.push(chunk));
    process.stdin.on('end', () => void this.protocol.end('stdin closed'));
    process.stdin.on('error', () => void this.protocol.end('stdin error'));
  }
}
