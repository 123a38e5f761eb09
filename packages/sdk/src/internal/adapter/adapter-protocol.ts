import type { ErrorCode } from '@procvision/manifest';
import { ErrorCodes } from '@procvision/manifest/errors';
import { FrameDecoder, FrameError, encodeFrame } from './frame-codec.js';
import type { Logger } from '../../logger.js';
import { protocolVersion } from './adapter-hello.js';
import { loadRunnerMessageSchemaCheck, readInboundFrame, type RunnerMessageSchemaCheck } from './inbound-frame.js';

/** Why the algorithm could not be loaded (sent as an `error` frame without request id). */
export interface LoadFailure {
  /** 1003 for a missing entry, the typed error's code, else 9999. */
  code: ErrorCode;
  /** What went wrong, for the runner's log. */
  message: string;
}

/** The frames one chunk of stdin held, and the framing error that ended it, if any. */
export interface DecodedChunk {
  /** Whole frames, in order (those before a framing error included). */
  frames: Record<string, unknown>[];
  /** The framing error after `frames`: the stream cannot be read past it. */
  error: FrameError | undefined;
}

/** What the protocol needs from the process around it: its output, its exit, its log. */
export interface ProtocolEndpoint {
  /** Writes one encoded frame to the runner; throws when it cannot (the runner is gone). */
  write(frame: Uint8Array): void;
  /** Stops reading input (the protocol is ending). */
  stopReading(): void;
  /** Ends the adapter with `code` (called once, after the executor stopped). */
  exit(code: number): void;
  /** The adapter's logger (stderr). */
  logger: Logger;
}

/** What an executor may ask of the protocol that drives it. */
export interface ProtocolLink {
  /** Writes an encoded frame through the endpoint (a failed write ends the adapter). */
  write(frame: Uint8Array): void;
  /** The algorithm died on its own: answers what is running and ends the adapter. */
  crash(description: string): void;
  /** A result could not be written: ends the adapter with this reason. */
  writeFailed(requestId: string, error: string): void;
}

/**
 * Where the algorithm runs: inline on the protocol's thread, or in a worker thread. The
 * executor writes each call's result frame itself (through {@link ProtocolLink.write} or its
 * own synchronised output); the protocol does everything else.
 */
export interface AlgorithmExecutor {
  /** Loads the algorithm (called once); resolves `undefined` when ready, else the failure. */
  load(): Promise<LoadFailure | undefined>;
  /**
   * Starts one call; its result frame is written by the executor. Returns a promise that
   * settles once the result is written when the caller can wait for it, else `undefined`
   * (answered already, or answered by another thread).
   */
  call(requestId: string, data: Record<string, unknown>): Promise<void> | undefined;
  /** True while a call runs (false from just before its result is written). */
  busy(): boolean;
  /** Resolves once no call runs. */
  idle(): Promise<void>;
  /** Runs the algorithm's `teardown()`; resolves with what went wrong, if it threw. */
  teardown(): Promise<string | undefined>;
  /** Releases the executor before exit; a promise when that takes time. */
  stop(): Promise<void> | undefined;
}

type Phase = 'handshake' | 'loading' | 'ready' | 'failed' | 'stopping';

/** How long a failed load keeps answering calls with its error before the adapter exits. */
const failedLoadDrainMs = 100;

/**
 * The adapter's side of the runner <-> adapter protocol (docs/spec/protocol.md), apart from
 * how bytes arrive and where the algorithm runs: frame decoding, the message switch,
 * schema checks of unusual frames (loaded on first need, with the frames behind them kept in
 * order), the handshake and load, one call at a time, ping/pong, shutdown with teardown,
 * framing errors, crashes. Its input is whatever feeds {@link AdapterProtocol.receive} (a
 * blocking reader) or {@link AdapterProtocol.push} (an event-loop reader); its output and
 * exit are the {@link ProtocolEndpoint}; its algorithm is the {@link AlgorithmExecutor}.
 * Tested in-process with fake endpoints (test/adapter-protocol-core.test.ts).
 */
export class AdapterProtocol {
  private readonly endpoint: ProtocolEndpoint;
  private readonly logger: Logger;
  private readonly executor: AlgorithmExecutor;
  private readonly decoder = new FrameDecoder();
  private phase: Phase = 'handshake';
  private loaded = false;
  private loadError: LoadFailure | undefined;
  /** Settles after the load finished and a waiting call was dispatched. */
  private loading: Promise<void> | undefined;
  /** A call that arrived before the algorithm was ready. */
  private pendingCall: { requestId: string; data: Record<string, unknown> } | undefined;
  /** Settles once the call dispatched from `pendingCall` is answered (inline executors). */
  private pendingAnswer: Promise<void> | undefined;
  /** Request id of the last call dispatched; running while the executor is busy. */
  private lastCall: string | undefined;
  private schemaCheck: RunnerMessageSchemaCheck | undefined;
  /** Work waiting, in arrival order, while the schema check loads (event-loop reading only). */
  private backlog: (() => void)[] | undefined;
  private shuttingDown: Promise<void> | undefined;
  private exitCode = 0;
  private ended = false;

  /**
   * @param endpoint - output, exit and log of the adapter process.
   * @param createExecutor - builds the executor, given what it may ask of the protocol.
   */
  constructor(endpoint: ProtocolEndpoint, createExecutor: (link: ProtocolLink) => AlgorithmExecutor) {
    this.endpoint = endpoint;
    this.logger = endpoint.logger;
    this.executor = createExecutor({
      write: (frame) => this.write(frame),
      crash: (description) => this.crash(description),
      writeFailed: (requestId, error) => {
        this.logger.error(`cannot write the result of ${requestId} to stdout, exiting: ${error}`);
        this.exit(1);
      },
    });
  }

  /** True once the adapter is ending: read nothing more. */
  get exiting(): boolean {
    return this.ended;
  }

  /** True while a call runs. */
  busy(): boolean {
    return this.executor.busy();
  }

  /**
   * Feeds bytes from a blocking reader: handles each frame in turn and resolves once all are
   * handled (a call answered, a load or shutdown finished), so the reader may block again;
   * `undefined` when nothing was left to wait for.
   */
  receive(chunk: Uint8Array): Promise<void> | undefined {
    const { frames, error } = this.decode(chunk);
    return this.continueWith(frames, 0, error);
  }

  /**
   * Feeds bytes from an event-loop reader: frames are handled at once in arrival order (a
   * ping is answered while an asynchronous call awaits), nothing is waited for.
   */
  push(chunk: Uint8Array): void {
    const { frames, error } = this.decode(chunk);
    for (const frame of frames) this.inOrder(() => void this.handle(frame, false));
    if (error !== undefined) {
      this.endpoint.stopReading();
      this.inOrder(() => void this.protocolError(error, false));
    }
  }

  /**
   * The input ended (or failed): shut down as if asked. Resolves when done.
   *
   * @param reason - why, for the log.
   */
  end(reason: string): Promise<void> {
    return new Promise((resolve) => this.inOrder(() => void this.shutdown(reason).then(resolve)));
  }

  /**
   * The process is exiting (an `exit` event): a call still running gets its error frame, as
   * the runner would otherwise wait for it until its timeout.
   *
   * @param code - the process's exit code.
   */
  processExiting(code: number): void {
    if (this.ended || this.lastCall === undefined || !this.executor.busy()) return;
    this.sendError(this.lastCall, `algorithm crashed: the process exited with code ${code} during the call`, ErrorCodes.unknownError);
  }

  /**
   * The algorithm died on its own (uncaught error, unhandled rejection, a dead worker): the
   * running call (or the load) is answered with an error frame, then the adapter exits 1.
   *
   * @param description - what happened, for the log and the error frame.
   */
  crash(description: string): void {
    if (this.ended) return;
    this.logger.error(description);
    if (this.lastCall !== undefined && this.executor.busy()) this.sendError(this.lastCall, `algorithm crashed: ${description}`, ErrorCodes.unknownError);
    else if (!this.loaded && this.loadError === undefined) this.sendError(null, `algorithm crashed while loading: ${description}`, ErrorCodes.unknownError);
    this.exit(1);
  }

  /** Handles `frames` from `from` on, each after the previous one's work; then the framing error, if any. */
  private continueWith(frames: Record<string, unknown>[], from: number, error: FrameError | undefined): Promise<void> | undefined {
    for (let index = from; index < frames.length; index += 1) {
      if (this.ended) return undefined;
      const pending = this.handle(frames[index]!, true);
      if (pending !== undefined) return pending.then(() => this.continueWith(frames, index + 1, error));
    }
    if (this.ended || error === undefined) return undefined;
    return this.protocolError(error, true);
  }

  /** Decodes a chunk; a framing error is returned after the frames before it. */
  private decode(chunk: Uint8Array): DecodedChunk {
    if (this.ended) return { frames: [], error: undefined };
    try {
      return { frames: this.decoder.push(chunk), error: undefined };
    } catch (error) {
      if (!(error instanceof FrameError)) throw error;
      return { frames: error.decodedBefore as Record<string, unknown>[], error };
    }
  }

  /** Runs `step` now, or after the work waiting for the schema check. */
  private inOrder(step: () => void): void {
    if (this.backlog === undefined) step();
    else this.backlog.push(step);
  }

  /**
   * Handles one frame. `wait`: the caller (a blocking reader) awaits the returned promise; an
   * event-loop reader does not, and later frames are then handled meanwhile.
   */
  private handle(raw: Record<string, unknown>, wait: boolean): Promise<void> | undefined {
    if (this.ended) return undefined;
    const parsed = readInboundFrame(raw, this.schemaCheck);
    if (parsed === undefined) return this.loadSchemaCheck(raw, wait);
    if (!parsed.ok) return this.sendError(parsed.requestId, parsed.reason, parsed.code);
    const message = parsed.message;
    switch (message.type) {
      case 'ping':
        this.send({ type: 'pong', request_id: message.requestId, status: 'OK' });
        return undefined;
      case 'hello': {
        if (message.protocol !== protocolVersion)
          this.logger.warn(`runner speaks protocol ${String(message.protocol)}, this adapter speaks ${protocolVersion}`);
        const loading = this.startLoading();
        return wait ? loading : undefined;
      }
      case 'call':
        return this.acceptCall(message.requestId, message.data, wait);
      case 'shutdown': {
        const done = this.shutdown('shutdown requested');
        return wait ? done : undefined;
      }
      case 'error':
        this.logger.warn('runner sent an error', { request_id: message.requestId, error: message.raw });
        return undefined;
    }
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

  /** Starts loading the algorithm once; the promise settles after a waiting call was dispatched. */
  private startLoading(): Promise<void> {
    if (this.loading !== undefined) return this.loading;
    if (this.phase === 'handshake') this.phase = 'loading';
    this.loading = this.executor.load().then((failure) => {
      if (failure !== undefined) return this.failLoad(failure);
      this.loaded = true;
      if (this.phase === 'stopping') return undefined;
      this.phase = 'ready';
      const pending = this.pendingCall;
      this.pendingCall = undefined;
      if (pending !== undefined) this.pendingAnswer = this.dispatch(pending.requestId, pending.data);
      return undefined;
    });
    return this.loading;
  }

  private acceptCall(requestId: string, data: Record<string, unknown>, wait: boolean): Promise<void> | undefined {
    if (this.phase === 'stopping') return this.sendError(requestId, 'adapter is shutting down', ErrorCodes.unknownError);
    if (this.loadError !== undefined) return this.sendError(requestId, this.loadError.message, this.loadError.code);
    if (this.pendingCall !== undefined || this.executor.busy()) return this.sendError(requestId, 'busy', ErrorCodes.unknownError);
    if (this.phase === 'ready') return this.dispatch(requestId, data);
    // A call before (or without) the runner's hello waits for the load.
    this.pendingCall = { requestId, data };
    const loading = this.startLoading();
    return wait ? loading.then(() => this.pendingAnswer) : undefined;
  }

  private dispatch(requestId: string, data: Record<string, unknown>): Promise<void> | undefined {
    this.lastCall = requestId;
    return this.executor.call(requestId, data);
  }

  /**
   * Reports a failed load (`error` frame without request id), answers the waiting call and
   * those that arrive in the next moments with the same error, then exits 1.
   */
  private failLoad(failure: LoadFailure): void {
    this.loadError = failure;
    if (this.phase !== 'stopping') this.phase = 'failed';
    this.logger.error(`algorithm failed to load: ${failure.message}`, { error_code: failure.code });
    this.sendError(null, failure.message, failure.code);
    if (this.pendingCall !== undefined) this.sendError(this.pendingCall.requestId, failure.message, failure.code);
    this.pendingCall = undefined;
    this.exitCode = 1;
    setTimeout(() => this.exit(1), failedLoadDrainMs);
  }

  private protocolError(error: FrameError, wait: boolean): Promise<void> | undefined {
    this.logger.error(error.message, { hex_prefix: error.hexPrefix });
    this.sendError(null, error.message, ErrorCodes.timeout);
    this.exitCode = 1;
    const done = this.shutdown('protocol error on stdin');
    return wait ? done : undefined;
  }

  /** Waits for the load and the running call, runs teardown, acknowledges and exits (once). */
  private shutdown(reason: string): Promise<void> {
    this.shuttingDown ??= (async () => {
      this.phase = 'stopping';
      this.logger.info(`shutting down: ${reason}`);
      if (this.pendingCall !== undefined) {
        this.sendError(this.pendingCall.requestId, 'adapter shut down before the algorithm finished loading', ErrorCodes.unknownError);
        this.pendingCall = undefined;
      }
      if (this.loading !== undefined) await this.loading;
      await this.executor.idle();
      if (this.loaded) {
        const failure = await this.executor.teardown();
        if (failure !== undefined) this.logger.error(failure);
      }
      this.send({ type: 'shutdown', status: 'OK' });
      this.exit(this.exitCode);
    })();
    return this.shuttingDown;
  }

  private send(message: Record<string, unknown>): void {
    if (this.ended) return;
    message.timestamp_ms = Date.now();
    this.write(encodeFrame(message));
  }

  private sendError(requestId: string | null, message: string, code: ErrorCode): undefined {
    this.send({ type: 'error', request_id: requestId, status: 'ERROR', message, error_code: code });
    return undefined;
  }

  private write(frame: Uint8Array): void {
    if (this.ended) return;
    try {
      this.endpoint.write(frame);
    } catch (error) {
      this.logger.error(`cannot write to stdout, exiting: ${(error as Error).message}`);
      this.exit(1);
    }
  }

  /** Stops reading and the executor, then ends the process (once). */
  private exit(code: number): void {
    if (this.ended) return;
    this.ended = true;
    this.endpoint.stopReading();
    const stopped = this.executor.stop();
    if (stopped === undefined) this.endpoint.exit(code);
    else void stopped.then(() => this.endpoint.exit(code));
  }
}
