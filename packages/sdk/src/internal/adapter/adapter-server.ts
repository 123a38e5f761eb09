import type { ErrorCode } from '@procvision/manifest';
import { FrameDecoder, FrameError, encodeFrame } from './frame-codec.js';
import { createLogger } from '../../logger.js';
import type { AlgorithmWorker } from './algorithm-worker.js';
import { protocolVersion } from './adapter-hello.js';
import { type EntryPoint, resolveEntryPoint } from './entry-point.js';
import { controlSlot, type FrameOutput } from './frame-output.js';
import { loadRunnerMessageSchemaCheck, readInboundFrame, type RunnerMessageSchemaCheck } from './inbound-frame.js';
import { CallMailboxWriter } from './call-mailbox.js';
import { ErrorCodes } from '@procvision/manifest/errors';

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

type Phase = 'handshake' | 'loading' | 'ready' | 'stopping';

/**
 * The protocol side of the adapter (main thread; `hello` is already sent): handshake, ping/pong, one call at a
 * time forwarded to the algorithm worker, shutdown. See docs/spec/protocol.md.
 */
export class AdapterServer {
  private readonly options: AdapterServerOptions;
  private readonly logger = createLogger({ fields: { component: 'procvision-adapter' } });
  private readonly decoder = new FrameDecoder();
  private phase: Phase = 'handshake';
  private readonly worker: AlgorithmWorker;
  private workerLoaded = false;
  private pendingCall: { requestId: string; data: Record<string, unknown> } | undefined;
  /** The last call sent to the worker; it is still running while the busy flag is set. */
  private inFlight: string | undefined;
  private tearingDown = false;
  private exitCode = 0;
  private exiting = false;
  private schemaCheck: RunnerMessageSchemaCheck | undefined;
  /** Work that waits, in arrival order, while the schema check loads. */
  private backlog: (() => void)[] | undefined;
  private readonly mailbox: CallMailboxWriter;

  constructor(options: AdapterServerOptions) {
    this.options = options;
    this.mailbox = new CallMailboxWriter(options.control, options.mailbox);
    this.worker = options.worker;
  }

  /** Starts reading stdin and the worker's reports. */
  start(): void {
    this.worker.listen({
      onReady: () => this.onReady(),
      onLoadFailed: (code, message) => this.failLoad(code, message),
      onWriteFailed: (requestId, error) => {
        this.logger.error(`cannot write the result of ${requestId} to stdout, exiting: ${error}`);
        this.exit(1);
      },
      onTeardownDone: (error) => this.onTeardownDone(error),
      onCrash: (description) => this.onCrash(description),
    });
    process.stdin.on('data', (chunk: Buffer) => this.receive(chunk));
    process.stdin.on('end', () => this.inOrder(() => this.beginShutdown('stdin closed')));
    process.stdin.on('error', () => this.inOrder(() => this.beginShutdown('stdin error')));
  }

  private send(message: Record<string, unknown>): void {
    if (this.exiting) return;
    try {
      this.options.output.write(encodeFrame({ ...message, timestamp_ms: Date.now() }));
    } catch (error) {
      this.logger.error(`cannot write to stdout, exiting: ${(error as Error).message}`);
      this.exit(1);
    }
  }

  private sendError(requestId: string | null, message: string, code: ErrorCode): void {
    this.send({ type: 'error', request_id: requestId, status: 'ERROR', message, error_code: code });
  }

  private receive(chunk: Buffer): void {
    if (this.exiting) return;
    let messages: Record<string, unknown>[];
    try {
      messages = this.decoder.push(chunk);
    } catch (error) {
      if (!(error instanceof FrameError)) throw error;
      for (const message of error.decodedBefore) this.inOrder(() => this.handle(message));
      process.stdin.pause();
      this.inOrder(() => {
        this.logger.error(error.message, { hex_prefix: error.hexPrefix });
        this.sendError(null, error.message, ErrorCodes.timeout);
        this.exitCode = 1;
        this.beginShutdown('protocol error on stdin');
      });
      return;
    }
    for (const message of messages) this.inOrder(() => this.handle(message));
  }

  /** Runs `step` now, or after the work waiting for the schema check. */
  private inOrder(step: () => void): void {
    if (this.backlog === undefined) step();
    else this.backlog.push(step);
  }

  private handle(raw: Record<string, unknown>): void {
    const parsed = readInboundFrame(raw, this.schemaCheck);
    if (parsed === undefined) return this.awaitSchemaCheck(raw);
    if (!parsed.ok) {
      this.sendError(parsed.requestId, parsed.reason, parsed.code);
      return;
    }
    const message = parsed.message;
    switch (message.type) {
      case 'ping':
        this.send({ type: 'pong', request_id: message.requestId, status: 'OK' });
        return;
      case 'hello':
        if (message.protocol !== protocolVersion)
          this.logger.warn(`runner speaks protocol ${String(message.protocol)}, this adapter speaks ${protocolVersion}`);
        if (this.phase === 'handshake') this.startLoading();
        return;
      case 'call':
        this.acceptCall(message.requestId, message.data);
        return;
      case 'shutdown':
        this.beginShutdown('shutdown requested');
        return;
      case 'error':
        this.logger.warn('runner sent an error', { request_id: message.requestId, error: message.raw });
        return;
    }
  }

  /** Loads the zod check (the main thread starts without it), then handles `raw` and the backlog. */
  private awaitSchemaCheck(raw: Record<string, unknown>): void {
    this.backlog = [() => this.handle(raw)];
    loadRunnerMessageSchemaCheck().then(
      (check) => {
        this.schemaCheck = check;
        const backlog = this.backlog ?? [];
        this.backlog = undefined;
        for (const step of backlog) step();
      },
      (error: unknown) => {
        this.logger.error(`cannot load @procvision/manifest to check a runner message, exiting: ${(error as Error).message}`);
        this.exit(1);
      },
    );
  }

  private acceptCall(requestId: string, data: Record<string, unknown>): void {
    if (this.phase === 'stopping') return this.sendError(requestId, 'adapter is shutting down', ErrorCodes.unknownError);
    if (this.callBusy() || this.pendingCall !== undefined) return this.sendError(requestId, 'busy', ErrorCodes.unknownError);
    if (this.phase === 'ready') return this.dispatch(requestId, data);
    this.pendingCall = { requestId, data };
    if (this.phase === 'handshake') this.startLoading();
  }

  /** True while the worker runs a call (it clears the flag just before writing the result). */
  private callBusy(): boolean {
    return Atomics.load(this.options.control, controlSlot.callBusy) === 1;
  }

  private dispatch(requestId: string, data: Record<string, unknown>): void {
    this.inFlight = requestId;
    Atomics.store(this.options.control, controlSlot.callBusy, 1);
    if (!this.mailbox.deliver({ requestId, data })) this.worker.post({ kind: 'call', requestId, data });
  }

  private startLoading(): void {
    this.phase = 'loading';
    let entry: EntryPoint;
    try {
      entry = resolveEntryPoint(this.options.root, this.options.argv);
    } catch (error) {
      const code = (error as { code?: ErrorCode }).code ?? ErrorCodes.unknownError;
      return this.failLoad(code, (error as Error).message);
    }
    this.worker.post({ kind: 'load', root: entry.root, modulePath: entry.modulePath, exportName: entry.exportName, maxDefects: this.options.maxDefects });
  }

  private onReady(): void {
    this.workerLoaded = true;
    if (this.phase === 'stopping') return this.finishShutdown();
    this.phase = 'ready';
    const pending = this.pendingCall;
    this.pendingCall = undefined;
    if (pending !== undefined) this.dispatch(pending.requestId, pending.data);
  }

  private failLoad(code: ErrorCode, message: string): void {
    this.logger.error(`algorithm failed to load: ${message}`, { error_code: code });
    this.sendError(null, message, code);
    if (this.pendingCall !== undefined) this.sendError(this.pendingCall.requestId, message, code);
    this.exit(1);
  }

  private onCrash(description: string): void {
    this.logger.error(description);
    if (this.inFlight !== undefined && this.callBusy()) this.sendError(this.inFlight, `algorithm crashed: ${description}`, ErrorCodes.unknownError);
    else if (!this.workerLoaded) this.sendError(null, `algorithm crashed while loading: ${description}`, ErrorCodes.unknownError);
    this.exit(1);
  }

  private beginShutdown(reason: string): void {
    if (this.phase === 'stopping') return;
    const wasLoading = this.phase === 'loading';
    this.phase = 'stopping';
    this.logger.info(`shutting down: ${reason}`);
    if (this.pendingCall !== undefined) {
      this.sendError(this.pendingCall.requestId, 'adapter shut down before the algorithm finished loading', ErrorCodes.unknownError);
      this.pendingCall = undefined;
    }
    if (!wasLoading) this.finishShutdown();
  }

  private finishShutdown(): void {
    if (this.tearingDown) return;
    if (this.callBusy()) {
      // The worker answers the running call itself; look again shortly (shutdown is not a hot path).
      setTimeout(() => this.finishShutdown(), 5);
      return;
    }
    if (!this.workerLoaded) return this.acknowledgeShutdown();
    this.tearingDown = true;
    this.worker.post({ kind: 'teardown' });
  }

  private onTeardownDone(error: string | undefined): void {
    if (error !== undefined) this.logger.error(error);
    this.acknowledgeShutdown();
  }

  private acknowledgeShutdown(): void {
    this.send({ type: 'shutdown', status: 'OK' });
    this.exit(this.exitCode);
  }

  /** Stops reading, stops the worker (its last log lines reach stderr), then exits. */
  private exit(code: number): void {
    if (this.exiting) return;
    this.exiting = true;
    process.stdin.pause();
    void this.worker.terminate().then(() => process.exit(code));
  }
}
