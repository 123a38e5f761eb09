import { resolvePackageRoot } from './package-root.js';
import { createLogger } from '../../logger.js';
import { AlgorithmWorker } from './algorithm-worker.js';
import { createControl, FrameOutput } from './frame-output.js';
import { createMailbox } from './call-mailbox.js';
import { workerCapabilities, writeHello } from './adapter-hello.js';

/** What the adapter set up before it loaded anything heavy. */
export interface EarlyStart {
  /** Absolute package root (now the working directory). */
  root: string;
  /** The control array shared with the worker. */
  control: Int32Array;
  /** The call mailbox shared with the worker. */
  mailbox: SharedArrayBuffer;
  /** The algorithm worker, already importing its own modules. */
  worker: AlgorithmWorker;
  /** The only way to write to stdout, shared with the worker through `control`. */
  output: FrameOutput;
}

/**
 * The first thing the worker-thread adapter does (docs/spec/protocol.md, "Handshake and start-up"): sends `hello` and
 * starts the algorithm worker thread, before the main thread imports the protocol code (zod,
 * the frame codec). The worker's own imports then run on the other core meanwhile; it loads
 * the algorithm only when the main thread tells it to, after the runner's `hello`.
 * Imports only node built-ins and zod-free modules.
 */
export function startEarly(workerUrl: URL, environment: NodeJS.ProcessEnv = process.env): EarlyStart {
  const root = resolvePackageRoot(environment);
  process.chdir(root);
  const control = createControl();
  const output = new FrameOutput(control);
  try {
    writeHello(output, workerCapabilities);
  } catch (error) {
    createLogger({ fields: { component: 'procvision-adapter' } }).error(`cannot write to stdout, exiting: ${(error as Error).message}`);
    process.exit(1);
  }
  const mailbox = createMailbox();
  const worker = new AlgorithmWorker(workerUrl, { control, mailbox });
  return { root, control, mailbox, worker, output };
}
