import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createLogger } from '../../logger.js';
import { AlgorithmWorker } from './algorithm-worker.js';
import { createControl, FrameOutput } from './frame-output.js';
import { createMailbox } from './call-mailbox.js';
import { capabilities, protocolVersion } from './adapter-hello.js';
import { encodeFrame } from './frame-codec.js';

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
 * The first thing the adapter does (docs/spec/protocol.md, "Handshake and start-up"): sends `hello` and
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
  writeHello(output);
  const mailbox = createMailbox();
  const worker = new AlgorithmWorker(workerUrl, { control, mailbox });
  return { root, control, mailbox, worker, output };
}

/** The package root: `PROC_ALGO_ROOT` when set, else the working directory. */
export function resolvePackageRoot(environment: NodeJS.ProcessEnv = process.env): string {
  const root = environment.PROC_ALGO_ROOT;
  return root !== undefined && root !== '' ? resolve(root) : process.cwd();
}

/**
 * Writes the adapter's `hello` frame (the worker is not started yet); a failed write ends the
 * process like any other (exit 1).
 */
function writeHello(output: FrameOutput): void {
  const hello = { type: 'hello', protocol: protocolVersion, sdk_version: sdkVersion(), capabilities, timestamp_ms: Date.now() };
  try {
    output.write(encodeFrame(hello));
  } catch (error) {
    createLogger({ fields: { component: 'procvision-adapter' } }).error(`cannot write to stdout, exiting: ${(error as Error).message}`);
    process.exit(1);
  }
}

function sdkVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
  return manifest.version ?? '0.0.0';
}
