import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import type { CallData, ErrorCode, FrameError, RunnerConfig } from '@procvision/manifest';
import { routeAdapterFrame } from './adapter-frame-router.js';
import type { AdapterProfile } from './adapter-generation.js';
import type { AttemptOutcome, FailureReason } from './call-outcome.js';
import { CallTable } from './call-table.js';
import type { FaultReason, ProcessIdentity, RunnerEvents } from './events.js';
import { FrameChannel } from './frame-channel.js';
import type { GuidedExecuteCallData } from './guided-call-data.js';
import { createDeferred, type Deferred } from './internal/deferred.js';
import { DescendantWatch } from './internal/descendant-watch.js';
import { Handshake, type HandshakeResult } from './handshake.js';
import { Heartbeat } from './heartbeat.js';
import type { RingBuffer } from './internal/ring-buffer.js';
import { runnerLogEntry } from './internal/runner-log.js';
import { watchExit } from './internal/watch-exit.js';
import type { TypedEmitter } from './internal/typed-emitter.js';
import { type ExitInfo, exitWithin, killProcess, terminateProcess } from './kill-process.js';
import type { LogEntry, RunnerLogger } from '../logger.js';
import { type SpawnSpec, spawnAdapter } from './spawn-adapter.js';
import { StderrLog } from './stderr-log.js';
import { traceOf } from '../trace-context.js';
import { ErrorCodes } from '@procvision/manifest';

/** Everything one connection needs from its supervisor. */
interface AdapterConnectionOptions {
  spawn: SpawnSpec;
  config: RunnerConfig;
  identity: ProcessIdentity;
  events: TypedEmitter<RunnerEvents>;
  logger: RunnerLogger;
  /** The supervisor's ring of recent stderr entries (shared by every incarnation). */
  logRing: RingBuffer<LogEntry>;
  /** Longest stderr line kept, in characters. */
  maxLogLineLength: number;
  incarnation: number;
}

/**
 * One running adapter process: its frames, handshake, heartbeat, calls in flight and stderr.
 * It never restarts itself: when it ends (exit, or a fault the runner detected), `exited`
 * resolves and the supervisor decides what comes next. Faults settle every call in flight
 * with a runner ERROR (1005) first, so no call waits on a dead process.
 */
export class AdapterConnection {
  readonly child: ChildProcessWithoutNullStreams;
  readonly processId: number;
  /** Resolves once the process is gone and every call in flight is settled. */
  readonly exited: Promise<ExitInfo>;
  /** Set when the runner ended the process on purpose (fault or stop). */
  fault: FaultReason | 'stop' | undefined;
  /** An `error` frame sent without a request id (a load or setup failure). */
  reportedError: { code: ErrorCode; message: string } | undefined;
  private readonly calls = new CallTable<AttemptOutcome>();
  private readonly channel: FrameChannel;
  private readonly heartbeat: Heartbeat;
  private readonly stderr: StderrLog;
  private readonly handshake: Handshake;
  private probe: { requestId: string; done: Deferred<{ ok: true } | { ok: false; message: string }> } | undefined;
  /** Every process the adapter started (detached ones included), ended with it. */
  private readonly descendants: DescendantWatch;

  constructor(private readonly options: AdapterConnectionOptions) {
    const { config } = options;
    this.child = spawnAdapter(options.spawn);
    this.processId = this.child.pid ?? -1;
    this.descendants = new DescendantWatch(this.processId);
    this.stderr = new StderrLog({
      ring: options.logRing,
      maxLineLength: options.maxLogLineLength,
      tag: () => ({ ...this.tags(), processId: this.processId }),
      forward: (entry) => options.logger.log(entry),
    });
    this.stderr.attach(this.child.stderr);
    this.channel = new FrameChannel(this.child, {
      maxFrameBytes: config.max_frame_bytes,
      onMessage: (message) => this.receive(message),
      onProtocolError: (error: FrameError) => this.endWithFault('protocol-error', error.message, error.hexPrefix),
      onWriteFailure: (message) => this.endWithFault('crash', message),
    });
    this.handshake = new Handshake(config, (message) => this.channel.send(message));
    this.heartbeat = new Heartbeat({
      intervalMs: config.heartbeat_interval_ms,
      graceMs: config.heartbeat_grace_ms,
      maxMissed: config.max_missed_heartbeats,
      sendPing: (requestId) => this.channel.send({ type: 'ping', request_id: requestId }),
      onMiss: (missed) =>
        options.events.emit('heartbeat-miss', { ...options.identity, processId: this.processId, missed, maxMissed: config.max_missed_heartbeats }),
      onLost: () => this.endWithFault('heartbeat-lost', `no pong for ${config.max_missed_heartbeats} heartbeats: process hung`),
      isBusy: () => this.calls.size > 0 && this.handshake.profile?.pingWhileBusy !== true,
    });
    this.exited = this.settleOnExit();
    if (this.processId !== -1) options.events.emit('process-start', { ...options.identity, processId: this.processId, incarnation: options.incarnation });
  }

  /** Waits for the adapter's hello (at most `timeoutMs`) and answers it. */
  waitForHandshake(timeoutMs: number): Promise<HandshakeResult> {
    return this.handshake.wait(timeoutMs);
  }

  /** The adapter's profile from its hello (generation, capabilities); undefined before the handshake. */
  get profile(): AdapterProfile | undefined {
    return this.handshake.profile;
  }

  /**
   * Sends one `ping` and waits at most `timeoutMs` for its pong: the readiness signal of an
   * adapter without `info` (a Python adapter reads its first frame only after import and setup).
   */
  async waitForPong(timeoutMs: number): Promise<{ ok: true } | { ok: false; message: string }> {
    const done = createDeferred<{ ok: true } | { ok: false; message: string }>();
    const requestId = 'startup-probe';
    this.probe = { requestId, done };
    const timer = setTimeout(
      () =>
        done.resolve({ ok: false, message: `the adapter did not answer a ping within ${timeoutMs} ms of its hello (import or setup still running, or hung)` }),
      timeoutMs,
    );
    if (!this.channel.send({ type: 'ping', request_id: requestId })) done.resolve({ ok: false, message: 'the adapter process is not running' });
    const outcome = await done.promise;
    clearTimeout(timer);
    this.probe = undefined;
    return outcome;
  }

  /** Sends one call and resolves with its one outcome (result, or runner ERROR on timeout/fault). */
  call(
    data: CallData | GuidedExecuteCallData,
    options: { timeoutMs: number; sessionId: string | null },
  ): { requestId: string; outcome: Promise<AttemptOutcome> } {
    const requestId = this.calls.nextRequestId(`${this.options.identity.packageName}-${this.options.incarnation}`);
    const startedAt = performance.now();
    const elapsed = () => performance.now() - startedAt;
    const outcome = this.calls
      .add(requestId, {
        timeoutMs: options.timeoutMs,
        sessionId: options.sessionId,
        ...traceOf(data),
        onTimeout: () => {
          queueMicrotask(() => this.endWithFault('timeout', `${data.phase} call ${requestId} timed out after ${options.timeoutMs} ms`));
          return this.failure('timeout', `${data.phase} timed out after ${options.timeoutMs} ms; the process is being restarted`, elapsed());
        },
      })
      .then((attempt) => ({ ...attempt, latencyMs: elapsed() }));
    try {
      if (!this.channel.send({ type: 'call', request_id: requestId, data })) {
        this.calls.settle(requestId, this.failure('crash', 'the adapter process is not running', elapsed()));
      }
    } catch (error) {
      this.calls.settle(requestId, this.failure('adapter-error', `cannot send the call: ${(error as Error).message}`, elapsed(), ErrorCodes.unknownError));
    }
    return { requestId, outcome };
  }

  /**
   * Ends the process because it is at fault: settles every call in flight with a 1005 ERROR,
   * then SIGTERM/SIGKILL (timeout, fatal error) or SIGKILL at once (hung, protocol breach).
   */
  endWithFault(reason: FaultReason, message: string, hexPrefix?: string): void {
    if (this.fault !== undefined) return;
    this.fault = reason;
    this.heartbeat.stop();
    this.descendants.sample();
    const { events, identity, config } = this.options;
    events.emit('process-fault', { ...identity, processId: this.processId, reason, message, ...(hexPrefix === undefined ? {} : { hexPrefix }) });
    this.log('error', `${reason}: ${message}`, hexPrefix === undefined ? undefined : { hexPrefix });
    const failureReason: FailureReason = reason === 'fatal-error' || reason === 'startup-failed' ? 'crash' : reason;
    const code = reason === 'memory-limit' ? ErrorCodes.memoryLimitExceeded : ErrorCodes.timeout;
    this.calls.settleAll(() => this.failure(failureReason, `${message}; the process is being restarted`, 0, code));
    this.handshake.fail(message);
    this.probe?.done.resolve({ ok: false, message });
    if (reason === 'timeout' || reason === 'fatal-error' || reason === 'startup-failed') {
      void terminateProcess(this.child, { graceMs: config.kill_grace_ms, onEscalate: () => this.escalated() });
    } else {
      void killProcess(this.child);
    }
  }

  /**
   * Stops the process on request: `shutdown` frame and EOF; no exit within `kill_grace_ms`
   * gives SIGTERM, then SIGKILL after another `kill_grace_ms`. Once it has exited, every
   * process it started is SIGKILLed: its process group, and on Linux every descendant seen
   * while it ran (detached ones, and those reparented after it ended).
   */
  async shutdown(): Promise<ExitInfo> {
    if (this.fault === undefined) this.fault = 'stop';
    this.heartbeat.stop();
    this.descendants.sample();
    this.calls.settleAll(() => this.failure('stopped', 'the process was stopped before the call finished', 0));
    this.channel.send({ type: 'shutdown' });
    this.channel.end();
    const graceMs = this.options.config.kill_grace_ms;
    const exited = await exitWithin(this.exited, graceMs);
    if (exited !== undefined) return exited;
    this.options.events.emit('kill-escalate', { ...this.options.identity, processId: this.processId, signal: 'SIGTERM' });
    await terminateProcess(this.child, { graceMs, onEscalate: () => this.escalated() });
    return this.exited;
  }

  /** Starts the heartbeat (after the handshake). */
  startHeartbeat(): void {
    if (this.fault === undefined) this.heartbeat.start();
  }

  private receive(raw: Record<string, unknown>): void {
    try {
      this.route(raw);
    } catch (error) {
      this.endWithFault('protocol-error', `the runner could not handle a ${JSON.stringify(raw.type)} frame: ${(error as Error).message}`);
    }
  }

  private route(raw: Record<string, unknown>): void {
    if (!this.handshake.greeted && raw.type !== 'hello' && raw.type !== 'error') {
      this.endWithFault('protocol-error', `expected hello as the first frame, got ${JSON.stringify(raw.type)}`);
      return;
    }
    routeAdapterFrame(raw, {
      hello: (hello) => {
        if (!this.handshake.receive(hello)) this.log('warn', 'ignored a second hello from the adapter');
      },
      pong: (requestId) => {
        if (this.probe !== undefined && requestId === this.probe.requestId) this.probe.done.resolve({ ok: true });
        else this.heartbeat.handlePong(requestId);
      },
      result: (result, errorKind) => {
        if (!this.calls.settle(result.request_id, { kind: 'result', result, errorKind, latencyMs: 0 })) this.dropReply(result.request_id, 'result');
      },
      error: (requestId, code, message) => this.adapterError(requestId, code, message),
      shutdownAck: () => {},
      unknownType: (reason, requestId) => {
        this.log('warn', `ignored a frame: ${reason}`);
        this.channel.send({ type: 'error', request_id: requestId, status: 'ERROR', message: reason, error_code: ErrorCodes.unknownError });
      },
      invalid: (reason, hexPrefix) => this.endWithFault('protocol-error', reason, hexPrefix),
    });
  }

  private adapterError(requestId: string | null, reportedCode: ErrorCode, message: string): void {
    // The Python adapters report "entry_point not found" as 1004 (our gpu_oom): 1011 here.
    const code: ErrorCode =
      requestId === null && reportedCode === ErrorCodes.gpuOom && this.profile !== undefined && this.profile.generation !== 'protocol-1'
        ? ErrorCodes.entryPointNotFound
        : reportedCode;
    if (requestId !== null && this.calls.settle(requestId, this.failure('adapter-error', message, 0, code))) return;
    if (requestId === null) {
      this.reportedError ??= { code, message };
      this.log('error', `adapter reported: ${message}`, { error_code: code });
      return;
    }
    this.dropReply(requestId, 'error');
  }

  private dropReply(requestId: string | null, type: string): void {
    this.options.events.emit('reply-drop', { ...this.options.identity, processId: this.processId, requestId, type });
    this.log('warn', `dropped a ${type} for request ${requestId ?? 'null'}: no such call in flight (late after a timeout, or unknown)`);
  }

  private failure(reason: FailureReason, message: string, latencyMs: number, code: ErrorCode = ErrorCodes.timeout): AttemptOutcome {
    return { kind: 'failure', reason, code, message, latencyMs };
  }

  private escalated(): void {
    this.options.events.emit('kill-escalate', { ...this.options.identity, processId: this.processId, signal: 'SIGKILL' });
  }

  private tags(): Pick<LogEntry, 'packageName' | 'packageVersion' | 'sessionId' | 'traceId'> {
    const traceId = this.calls.currentTraceId();
    return {
      packageName: this.options.identity.packageName,
      packageVersion: this.options.identity.packageVersion,
      sessionId: this.calls.currentSessionId(),
      ...(traceId === undefined ? {} : { traceId }),
    };
  }

  private log(level: LogEntry['level'], message: string, fields?: Record<string, unknown>): void {
    this.options.logger.log(runnerLogEntry(level, message, { ...this.tags(), processId: this.processId }, fields));
  }

  private async settleOnExit(): Promise<ExitInfo> {
    const exit = await watchExit(this.child, (error) => {
      this.reportedError ??= { code: ErrorCodes.unknownError, message: `cannot start ${this.options.spawn.command}: ${error.code ?? error.message}` };
    });
    this.heartbeat.stop();
    // Whatever the algorithm started outside its process group (detached, setsid) ends with it too.
    this.descendants.stop();
    this.descendants.sample();
    this.descendants.killAll('SIGKILL');
    const how = exit.signal !== null ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    this.calls.settleAll(() => this.failure('crash', `the algorithm process ${how} during the call`, 0));
    this.handshake.fail(`the adapter ${how} before the handshake`);
    this.probe?.done.resolve({ ok: false, message: `the adapter ${how} during start-up` });
    if (this.processId !== -1) {
      this.options.events.emit('process-exit', {
        ...this.options.identity,
        processId: this.processId,
        code: exit.code,
        signal: exit.signal,
        expected: this.fault === 'stop',
      });
    }
    return exit;
  }
}
