import type { ErrorCode } from '@procvision/manifest';
import { FrameDecoder, FrameError, encodeFrame } from './frame-codec.js';
import type { Logger } from '../../logger.js';
import { protocolVersion } from './adapter-hello.js';
import { resolveEntryPoint } from './entry-point.js';
import type { FrameOutput } from './frame-output.js';
import { loadRunnerMessageSchemaCheck, readInboundFrame, type RunnerMessageSchemaCheck } from './inbound-frame.js';
import { setUpAlgorithm, setupFailure } from './algorithm-setup.js';
import { runCall, warnIfLargeState, type CallRunnerContext } from './call-runner.js';
import { encodeResult } from './result-frame.js';
import { BlockingStdin, ownStdioHandles, eventLoopIdle } from './blocking-stdin.js';
import { tierUpSooner } from './tier-up.js';
import { contractChecksLoaded } from './contract-checks.js';
import { ErrorCodes } from '@procvision/manifest/errors';

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

/** How long a failed load keeps answering calls with its error before the adapter exits. */
const failedLoadDrainMs = 100;
/** Event-loop turns granted to short-lived work (a file close) before reading in a blocking way. */
const settleTurns = 20;

/**
 * The adapter with the algorithm on its main thread (the default; `hello` is already sent).
 * It loads the algorithm when the runner's `hello` arrives and, like the Python adapter, reads
 * stdin in a blocking loop: one `read` per frame, the call runs, its result is written with one `write`. No
 * second thread to wake, no event-loop turn, no stream objects per chunk.
 *
 * An algorithm that leaves work in the event loop between calls (a timer, a socket, a child
 * process) must not be starved by a blocking read: the adapter then switches, for good, to
 * reading stdin through the event loop (`process.stdin`), where pings are also answered while
 * an asynchronous call awaits. Either way no ping is answered while a synchronous call runs,
 * so this adapter does not announce `ping_while_busy` (docs/design.md, "Adapter speed").
 */
export class MainThreadAdapter {
  private readonly options: MainThreadAdapterOptions;
  private readonly logger: Logger;
  private readonly decoder = new FrameDecoder();
  private readonly stdin = new BlockingStdin();
  private readonly ownHandles = ownStdioHandles();
  private context: CallRunnerContext | undefined;
  private loadError: { code: ErrorCode; message: string } | undefined;
  private loading: Promise<boolean> | undefined;
  private schemaCheck: RunnerMessageSchemaCheck | undefined;
  /** Request id of the running call, until its answer is written. */
  private inFlight: string | undefined;
  /** Resolves when the running call has been answered. */
  private callDone: Promise<void> | undefined;
  private stopping = false;
  private exiting = false;
  private exitCode = 0;
  /** Work waiting, in arrival order, while the schema check loads (event-loop reading only). */
  private backlog: (() => void)[] | undefined;

  constructor(options: MainThreadAdapterOptions) {
    this.options = options;
    this.logger = options.logger;
  }

  /**
   * Serves stdin until shutdown or end of input. The algorithm is loaded when the runner's
   * `hello` (or a first call) arrives (docs/spec/protocol.md, start-up 3); frames after it wait.
   */
  async run(): Promise<void> {
    this.watchForCrashes();
    await this.serveBlocking();
  }

  /** Loads the algorithm once; resolves true when it is ready, false when loading failed. */
  private load(): Promise<boolean> {
    this.loading ??= (async () => {
      try {
        const entry = resolveEntryPoint(this.options.root, this.options.argv);
        this.context = await setUpAlgorithm({ ...entry, maxDefects: this.options.maxDefects }, this.logger);
        return true;
      } catch (error) {
        this.failLoad(setupFailure(error));
        return false;
      }
    })();
    return this.loading;
  }

  /** Reads frames in a blocking way while nothing else needs the event loop. */
  private async serveBlocking(): Promise<void> {
    while (!this.exiting) {
      if (!eventLoopIdle(this.ownHandles) && !(await this.settle())) return this.serveEvented('the algorithm keeps work in the event loop between calls');
      const chunk = this.stdin.read();
      if (chunk === 'would-block') return this.serveEvented('stdin is non-blocking');
      if (chunk === undefined) return this.shutdown('stdin closed');
      for (const frame of this.decode(chunk)) {
        const pending = this.handle(frame, true);
        if (pending !== undefined) await pending;
        if (this.exiting) return;
      }
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
    if (this.exiting) return;
    this.logger.info(`reading stdin through the event loop from now on: ${reason}`);
    const stdin = process.stdin;
    stdin.on('data', (chunk: Buffer) => {
      for (const frame of this.decode(chunk)) this.inOrder(() => void this.handle(frame, false));
    });
    stdin.on('end', () => this.inOrder(() => void this.shutdown('stdin closed')));
    stdin.on('error', () => this.inOrder(() => void this.shutdown('stdin error')));
  }

  /** Decodes a chunk; a framing error answers with 1005 and shuts down after what came before it. */
  private decode(chunk: Buffer): Record<string, unknown>[] {
    if (this.exiting) return [];
    try {
      return this.decoder.push(chunk);
    } catch (error) {
      if (!(error instanceof FrameError)) throw error;
      const protocolError: Record<string, unknown> = { type: '#protocol-error', error };
      return [...error.decodedBefore, protocolError];
    }
  }

  /** Runs `step` now, or after the work waiting for the schema check. */
  private inOrder(step: () => void): void {
    if (this.backlog === undefined) step();
    else this.backlog.push(step);
  }

  /**
   * Handles one frame. `wait`: the blocking loop awaits the returned promise (a call, a
   * shutdown); the event-loop reader does not, so pings and `busy` are answered meanwhile.
   */
  private handle(raw: Record<string, unknown>, wait: boolean): Promise<void> | undefined {
    if (raw.type === '#protocol-error') return this.protocolError(raw.error as FrameError, wait);
    const parsed = readInboundFrame(raw, this.schemaCheck);
    if (parsed === undefined) return this.loadSchemaCheck(raw, wait);
    if (!parsed.ok) {
      this.sendError(parsed.requestId, parsed.reason, parsed.code);
      return undefined;
    }
    const message = parsed.message;
    switch (message.type) {
      case 'ping':
        this.send({ type: 'pong', request_id: message.requestId, status: 'OK' });
        return undefined;
      case 'hello': {
        if (message.protocol !== protocolVersion)
          this.logger.warn(`runner speaks protocol ${String(message.protocol)}, this adapter speaks ${protocolVersion}`);
        const loaded = this.load();
        return wait ? loaded.then(() => undefined) : undefined;
      }
      case 'call':
        return this.call(message.requestId, message.data);
      case 'shutdown':
        return this.shutdown('shutdown requested');
      case 'error':
        this.logger.warn('runner sent an error', { request_id: message.requestId, error: message.raw });
        return undefined;
    }
  }

  private protocolError(error: FrameError, wait: boolean): Promise<void> | undefined {
    this.logger.error(error.message, { hex_prefix: error.hexPrefix });
    this.sendError(null, error.message, ErrorCodes.timeout);
    this.exitCode = 1;
    const done = this.shutdown('protocol error on stdin');
    return wait ? done : undefined;
  }

  /** Loads the zod check of runner messages (only an unusual frame needs it), then handles `raw`. */
  private loadSchemaCheck(raw: Record<string, unknown>, wait: boolean): Promise<void> | undefined {
    if (!wait) this.backlog = [];
    const loaded = loadRunnerMessageSchemaCheck().then(
      (check) => {
        this.schemaCheck = check;
        const pending = this.handle(raw, wait);
        const backlog = this.backlog ?? [];
        this.backlog = undefined;
        for (const step of backlog) step();
        return pending;
      },
      (error: unknown) => {
        this.logger.error(`cannot load @procvision/manifest to check a runner message, exiting: ${(error as Error).message}`);
        this.exit(1);
      },
    );
    return wait ? loaded : undefined;
  }

  private call(requestId: string, data: Record<string, unknown>): Promise<void> | undefined {
    if (this.stopping) return this.sendError(requestId, 'adapter is shutting down', ErrorCodes.unknownError);
    if (this.inFlight !== undefined) return this.sendError(requestId, 'busy', ErrorCodes.unknownError);
    const context = this.context;
    if (context === undefined) {
      if (this.loadError !== undefined) return this.sendError(requestId, this.loadError.message, this.loadError.code);
      // A call before (or without) the runner's hello: it waits for the load.
      return this.load().then(() => this.call(requestId, data));
    }
    this.inFlight = requestId;
    const result = runCall(context, requestId, data);
    if (!(result instanceof Promise)) return this.answer(data, result);
    const done = result.then((settled) => this.answer(data, settled));
    this.callDone = done;
    return done;
  }

  /** Writes the result of the running call (busy ends just before). */
  private answer(data: Record<string, unknown>, result: Record<string, unknown>): undefined {
    const frame = encodeResult(result, this.logger);
    warnIfLargeState(this.logger, data, result, frame.byteLength);
    this.inFlight = undefined;
    this.callDone = undefined;
    this.write(frame);
    tierUpSooner();
    return undefined;
  }

  /** Runs teardown after the running call (if any), acknowledges and exits. */
  private async shutdown(reason: string): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.logger.info(`shutting down: ${reason}`);
    if (this.loading !== undefined) await this.loading;
    if (this.callDone !== undefined) await this.callDone;
    try {
      await this.context?.algorithm.teardown?.();
    } catch (error) {
      this.logger.error(`teardown() failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    }
    this.send({ type: 'shutdown', status: 'OK' });
    this.exit(this.exitCode);
  }

  /**
   * Reports a failed load (`error` frame without request id), answers the calls that arrive
   * in the next moments with the same error, then exits 1.
   */
  private failLoad(failure: { code: ErrorCode; message: string }): void {
    this.loadError = failure;
    this.logger.error(`algorithm failed to load: ${failure.message}`, { error_code: failure.code });
    this.sendError(null, failure.message, failure.code);
    this.exitCode = 1;
    // The timer makes the blocking loop hand stdin to the event loop (see serveBlocking).
    setTimeout(() => this.exit(1), failedLoadDrainMs);
  }

  /**
   * An uncaught error or unhandled rejection of algorithm code, or `process.exit()` called by
   * it, answers the running call (or the load) with an error frame before the process ends.
   */
  private watchForCrashes(): void {
    const crash = (error: unknown): void => {
      const description = error instanceof Error ? `uncaught ${error.name}: ${error.message}` : `uncaught ${String(error)}`;
      this.logger.error(description);
      if (this.inFlight !== undefined) this.sendError(this.inFlight, `algorithm crashed: ${description}`, ErrorCodes.unknownError);
      else if (this.context === undefined && this.loadError === undefined)
        this.sendError(null, `algorithm crashed while loading: ${description}`, ErrorCodes.unknownError);
      this.inFlight = undefined;
      this.exit(1);
    };
    process.on('uncaughtException', crash);
    process.on('exit', (code) => {
      if (this.exiting || this.inFlight === undefined) return;
      this.sendError(this.inFlight, `algorithm crashed: the process exited with code ${code} during the call`, ErrorCodes.unknownError);
    });
  }

  private send(message: Record<string, unknown>): void {
    if (this.exiting) return;
    message.timestamp_ms = Date.now();
    this.write(encodeFrame(message));
  }

  private sendError(requestId: string | null, message: string, code: ErrorCode): undefined {
    this.send({ type: 'error', request_id: requestId, status: 'ERROR', message, error_code: code });
    return undefined;
  }

  private write(frame: Uint8Array): void {
    if (this.exiting) return;
    try {
      this.options.output.write(frame);
    } catch (error) {
      this.logger.error(`cannot write to stdout, exiting: ${(error as Error).message}`);
      this.exit(1);
    }
  }

  private exit(code: number): void {
    if (this.exiting) return;
    this.exiting = true;
    process.exit(code);
  }
}
