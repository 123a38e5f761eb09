import type { Logger } from '../../logger.js';
import { resolveEntryPoint } from './entry-point.js';
import type { FrameOutput } from './frame-output.js';
import { BlockingStdin, ownStdioHandles, eventLoopIdle } from './blocking-stdin.js';
import { contractChecksLoaded } from './contract-checks.js';
import { AdapterProtocol } from './adapter-protocol.js';
import { InlineExecutor } from './inline-executor.js';

/** How the main-thread adapter was started. */
interface MainThreadAdapterOptions {
  /** Absolute package root (already the working directory). */
  root: string;
  /** Command-line arguments after the script (for `--entry`). */
  argv: readonly string[];
  /** The only way to write to stdout. */
  output: FrameOutput;
  /** Most defect rects kept per execute result. */
  maxDefects: number;
  /** The adapter's logger (stderr). */
  logger: Logger;
}

/** Event-loop turns granted to short-lived work (a file close) before reading in a blocking way. */
const settleTurns = 20;

/**
 * The adapter with the algorithm on its main thread (the default; `hello` is already sent):
 * the {@link AdapterProtocol} over an {@link InlineExecutor}, fed like the Python adapter by a
 * blocking loop: one `read` per frame, the call runs, its result is written with one `write`.
 * No second thread to wake, no event-loop turn, no stream objects per chunk.
 *
 * An algorithm that leaves work in the event loop between calls (a timer, a socket, a child
 * process) must not be starved by a blocking read: the adapter then switches, for good, to
 * reading stdin through the event loop (`process.stdin`), where pings are also answered while
 * an asynchronous call awaits. Either way no ping is answered while a synchronous call runs,
 * so this adapter does not announce `ping_while_busy` (docs/design.md, "Adapter speed").
 */
export class MainThreadAdapter {
  private readonly logger: Logger;
  private readonly protocol: AdapterProtocol;
  private readonly stdin = new BlockingStdin();
  private readonly ownHandles = ownStdioHandles();
  private evented = false;

  constructor(options: MainThreadAdapterOptions) {
    this.logger = options.logger;
    this.protocol = new AdapterProtocol(
      {
        write: (frame) => options.output.write(frame),
        stopReading: () => {
          if (this.evented) process.stdin.pause();
        },
        exit: (code) => process.exit(code),
        logger: options.logger,
      },
      (link) =>
        new InlineExecutor({ entry: () => resolveEntryPoint(options.root, options.argv), maxDefects: options.maxDefects, logger: options.logger }, link),
    );
  }

  /**
   * Serves stdin until shutdown or end of input. The algorithm is loaded when the runner's
   * `hello` (or a first call) arrives (docs/spec/protocol.md, start-up 3); frames after it wait.
   */
  async run(): Promise<void> {
    this.watchForCrashes();
    await this.serveBlocking();
  }

  /** Reads frames in a blocking way while nothing else needs the event loop. */
  private async serveBlocking(): Promise<void> {
    const protocol = this.protocol;
    while (!protocol.exiting) {
      if (!eventLoopIdle(this.ownHandles) && !(await this.settle())) return this.serveEvented('the algorithm keeps work in the event loop between calls');
      const chunk = this.stdin.read();
      if (chunk === 'would-block') return this.serveEvented('stdin is non-blocking');
      if (chunk === undefined) return protocol.end('stdin closed');
      const pending = protocol.receive(chunk);
      if (pending !== undefined) await pending;
    }
  }

  /**
   * Lets short-lived event-loop work finish; false when something stays (timer, socket ...).
   * The adapter's own background load of the schemas (started after setup for steps with
   * params) is waited for, however long it takes: it is not the algorithm's.
   */
  private async settle(): Promise<boolean> {
    for (let turn = 0; turn < settleTurns; turn += 1) {
      await new Promise((resolve) => setImmediate(resolve));
      await contractChecksLoaded();
      if (eventLoopIdle(this.ownHandles)) return true;
    }
    return false;
  }

  /** Reads stdin through the event loop from now on (see the class comment), saying why once. */
  private serveEvented(reason: string): void {
    if (this.protocol.exiting) return;
    this.evented = true;
    this.logger.info(`reading stdin through the event loop from now on: ${reason}`);
    const stdin = process.stdin;
    stdin.on('data', (chunk: Buffer) => this.protocol.push(chunk));
    stdin.on('end', () => void this.protocol.end('stdin closed'));
    stdin.on('error', () => void this.protocol.end('stdin error'));
  }

  /**
   * An uncaught error or unhandled rejection of algorithm code, or `process.exit()` called by
   * it, answers the running call (or the load) with an error frame before the process ends.
   */
  private watchForCrashes(): void {
    process.on('uncaughtException', (error: unknown) => {
      this.protocol.crash(error instanceof Error ? `uncaught ${error.name}: ${error.message}` : `uncaught ${String(error)}`);
    });
    process.on('exit', (code) => this.protocol.processExiting(code));
  }
}
