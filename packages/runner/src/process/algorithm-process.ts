import {
  type AlgorithmInfo,
  type CallData,
  ProcVisionError,
  parseRunnerConfig,
  type RunnerConfig,
  type RunnerConfigInput,
  ErrorCodes,
} from '@procvision/manifest';
import { createFileFrameWriter, createFrameWriter, createPrivateShmDir, removePrivateShmDir, restorePrivateShmDir, type FrameWriter } from '@procvision/shm';
import { AdapterConnection } from './adapter-connection.js';
import type { AdapterProfile } from './adapter-generation.js';
import type { GuidedExecuteCallData } from './guided-call-data.js';
import { pythonAlgorithmInfo, readPythonManifest } from './python-manifest.js';
import type { CallOutcome } from './call-outcome.js';
import type { FaultReason, ProcessIdentity, ProcessState, RunnerEvents } from './events.js';
import { ConnectionGate, type ConnectionAttempt } from './internal/connection-gate.js';
import { RingBuffer } from './internal/ring-buffer.js';
import { runnerLogEntry } from './internal/runner-log.js';
import { TypedEmitter } from './internal/typed-emitter.js';
import type { ExitInfo } from './kill-process.js';
import { type LogEntry, type RunnerLogger, createStderrLogger } from '../logger.js';
import { RestartPolicy } from './restart-policy.js';
import { bringUp } from './startup.js';
import { type AdapterCommand, adapterEnvironment } from './spawn-adapter.js';
import { callWithRetries } from './call-with-retries.js';
import { readProcessResources } from './internal/process-resources.js';

/** Options for {@link AlgorithmProcess}. */
export interface AlgorithmProcessOptions {
  /** Package name (from the manifest); tags events and logs. */
  packageName: string;
  /** Package version (from the manifest). */
  packageVersion: string;
  /** The package root: the adapter's working directory and `PROC_ALGO_ROOT`. */
  root: string;
  /** The adapter command: ours (`node .../adapter-bin.js`) or `python -m procvision_algorithm_sdk.adapter`. */
  adapter: AdapterCommand;
  /** Extra environment of the child (wins over the allow-listed variables), e.g. `PROC_ENTRY_POINT`. */
  env?: Record<string, string>;
  /** Runner config (docs/spec/protocol.md); missing keys take the defaults. */
  config?: RunnerConfig | RunnerConfigInput;
  /** Where events go; a private emitter when absent (read it with {@link AlgorithmProcess.on}). */
  events?: TypedEmitter<RunnerEvents>;
  /** Where log entries go; JSON lines on stderr at `config.log_level` when absent. */
  logger?: RunnerLogger;
  /** Restart back-off: first delay and ceiling, in ms (default 250 and 10000). */
  restartBackoff?: { initialMs: number; maxMs: number };
  /**
   * The slower schedule of a `failed` process: it is started afresh (restart budget forgotten)
   * after `initialMs`, doubled after each further failure up to `maxMs`, forever (default 30000
   * and 300000); reset once a retry keeps the process ready. `false` leaves it failed until
   * {@link AlgorithmProcess.restart}.
   */
  failedRetry?: { initialMs: number; maxMs: number } | false;
  /**
   * Resident memory (MiB) the child may hold (a package's `memory_limit_mb`): checked every
   * `memoryCheckIntervalMs` (default 1000) from `/proc`; over it, the call in flight fails with
   * 1012 (`memory_limit_exceeded`), a `process-fault` (`memory-limit`) is emitted and the process
   * is killed and restarted. Absent: no limit.
   */
  memoryLimitMb?: number;
  /** How often the memory limit is checked, ms (default 1000). */
  memoryCheckIntervalMs?: number;
  /** Recent stderr entries kept (default 500) and longest line kept (default 16384 characters). */
  logRing?: { maxLines?: number; maxLineLength?: number };
}

/**
 * Supervises one algorithm package's adapter process: spawn, handshake, `info`, heartbeat,
 * per-phase timeouts, retries, restarts with exponential back-off and a budget per window,
 * then `failed` (calls fail fast with 1005), retried on a slower schedule (`failedRetry`) and
 * on {@link AlgorithmProcess.restart}.
 * Calls are serialised (one in flight) and each gets exactly one {@link CallOutcome}.
 */
export class AlgorithmProcess {
  /** The validated runner config in force. */
  readonly config: RunnerConfig;
  /** The events of this process (shared with the runner when it created the process). */
  readonly events: TypedEmitter<RunnerEvents>;
  private readonly identity: ProcessIdentity;
  private readonly logger: RunnerLogger;
  private readonly policy: RestartPolicy;
  private readonly ring: RingBuffer<LogEntry>;
  private readonly gate = new ConnectionGate();
  private currentState: ProcessState = 'stopped';
  private connection: AdapterConnection | undefined;
  private algorithmInfo: AlgorithmInfo | undefined;
  private adapterProfile: AdapterProfile | undefined;
  /** The private `PROC_SHM_DIR` this process created (same path across restarts). */
  private privateShmDir: string | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  /** Since when the process has been failing (first `failed` since last ready; ms epoch). */
  private failedAt: number | undefined;
  /** Why it went `failed` (its last exit and the exhausted restart budget), while it is failing. */
  private failedBecause: string | undefined;
  /** Failed-state retries since the process was last ready. */
  private failedRetries = 0;
  /** Why the current start attempt failed, when the adapter said so before exiting. */
  private startFailure: Extract<ConnectionAttempt, { ok: false }> | undefined;
  private incarnation = 0;
  private memoryWatch: NodeJS.Timeout | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: AlgorithmProcessOptions) {
    this.config = parseRunnerConfig(options.config ?? {});
    this.identity = { packageName: options.packageName, packageVersion: options.packageVersion };
    this.logger = options.logger ?? createStderrLogger(this.config.log_level);
    this.events =
      options.events ??
      new TypedEmitter<RunnerEvents>((error, event) =>
        this.logger.log(runnerLogEntry('error', `a listener of ${String(event)} threw: ${(error as Error).message}`, { ...this.identity, sessionId: null })),
      );
    const backoff = options.restartBackoff ?? { initialMs: 250, maxMs: 10_000 };
    this.policy = new RestartPolicy({
      maxRestarts: this.config.max_restarts,
      windowMs: this.config.restart_window_ms,
      initialDelayMs: backoff.initialMs,
      maxDelayMs: backoff.maxMs,
    });
    this.ring = new RingBuffer(options.logRing?.maxLines ?? 500);
  }

  /** The current state (`stopped`, `starting`, `ready`, `restarting`, `failed`, `stopping`). */
  get state(): ProcessState {
    return this.currentState;
  }

  /**
   * What `getInfo()` returned at the last start (steps with their param schemas); for an
   * adapter without `info` (Python SDK) the same fields from manifest.json, where an empty
   * `supported_pids` or `steps` means any PID or step (a v0.3 manifest lists neither).
   */
  get info(): AlgorithmInfo | undefined {
    return this.algorithmInfo;
  }

  /** The adapter's generation and capabilities, from its hello at the last start. */
  get profile(): AdapterProfile | undefined {
    return this.adapterProfile;
  }

  /** The package name this process runs. */
  get packageName(): string {
    return this.identity.packageName;
  }

  /** The package version this process runs. */
  get packageVersion(): string {
    return this.identity.packageVersion;
  }

  /**
   * The adapter's `PROC_SHM_DIR`: the one the options' env names, else a private directory
   * (mode 0700, on /dev/shm where it exists) created at start and removed on stop. Python SDK
   * adapters read their frames from files there.
   */
  get shmDirectory(): string | undefined {
    return this.options.env?.['PROC_SHM_DIR'] ?? this.privateShmDir;
  }

  /**
   * A frame writer for this process's adapter, chosen by its hello (call after start):
   * `$PROC_SHM_DIR` files with `dev-shm:` ids for the Python SDK, else shared-memory segments
   * of `shared_memory_backend` with `slots` slots (default 2).
   */
  createFrameWriter(options: { slots?: number } = {}): FrameWriter {
    const dir = this.shmDirectory;
    if (this.adapterProfile?.frames === 'files' && dir !== undefined) return createFileFrameWriter({ dir, prefix: 'pv' });
    return createFrameWriter({ backend: this.config.shared_memory_backend, slots: options.slots ?? 2 });
  }

  /** Child processes spawned so far (starts and restarts): what the metrics count for a process they watch after its start. */
  get starts(): number {
    return this.incarnation;
  }

  /** OS process id of the running child, if any. */
  get processId(): number | undefined {
    return this.connection?.processId;
  }

  /** Adds an event listener; returns a function that removes it. */
  on<Name extends keyof RunnerEvents>(event: Name, listener: (payload: RunnerEvents[Name]) => void): () => void {
    return this.events.on(event, listener);
  }

  /** The last stderr entries of this package's processes (all incarnations), oldest first. */
  recentLogs(): LogEntry[] {
    return this.ring.toArray();
  }

  /**
   * Starts the process and resolves with its `getInfo()` once ready.
   * @throws ProcVisionError with the start-up failure's code (1003 missing asset, 1005 timeout or exit, 9999)
   */
  async start(): Promise<AlgorithmInfo> {
    if (this.currentState === 'stopped' || this.currentState === 'failed') this.launch();
    const readiness = await this.waitReady();
    if (!readiness.ok)
      throw new ProcVisionError(readiness.code, readiness.message, { details: { package: this.identity.packageName, reason: readiness.reason } });
    return this.algorithmInfo as AlgorithmInfo;
  }

  /** An operator's restart: forgets the restart budget, stops the current child, starts afresh. */
  async restart(): Promise<AlgorithmInfo> {
    this.policy.reset();
    await this.stop();
    return this.start();
  }

  /**
   * Runs one call (serialised after the calls before it) and resolves with its one outcome;
   * never rejects. Timeouts: `pre_execute_timeout_ms` for `pre`, `info` and `reset`,
   * `execute_timeout_ms` for `execute`, unless `timeoutMs` is given.
   */
  call(data: CallData | GuidedExecuteCallData, options: { sessionId?: string | null; timeoutMs?: number } = {}): Promise<CallOutcome> {
    const timeoutMs = options.timeoutMs ?? (data.phase === 'execute' ? this.config.execute_timeout_ms : this.config.pre_execute_timeout_ms);
    const run = this.queue.then(() =>
      callWithRetries({
        data,
        timeoutMs,
        sessionId: options.sessionId ?? null,
        maxRetries: this.config.max_retries,
        identity: this.identity,
        events: this.events,
        acquire: () => this.waitReady(),
      }),
    );
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Graceful stop: `shutdown`, then SIGTERM and SIGKILL after `kill_grace_ms` each. Pending calls fail with 1005. */
  async stop(): Promise<void> {
    clearTimeout(this.restartTimer);
    const connection = this.connection;
    if (this.currentState === 'stopped') return;
    this.setState('stopping');
    this.gate.settle({ ok: false, reason: 'stopped', code: ErrorCodes.timeout, message: `${this.identity.packageName} was stopped` });
    if (connection) await connection.shutdown();
    this.connection = undefined;
    if (this.privateShmDir !== undefined) removePrivateShmDir(this.privateShmDir);
    this.setState('stopped');
  }

  private launch(): void {
    this.gate.open();
    this.incarnation += 1;
    this.setState('starting');
    const connection = new AdapterConnection({
      spawn: {
        ...this.options.adapter,
        cwd: this.options.root,
        env: adapterEnvironment(this.options.root, {
          PROC_MAX_DEFECTS: String(this.config.max_defects),
          PROC_LOG_LEVEL: this.config.log_level,
          PROC_SHM_DIR: this.ensureShmDir(),
          ...this.options.env,
        }),
      },
      config: this.config,
      identity: this.identity,
      events: this.events,
      logger: this.logger,
      logRing: this.ring,
      maxLogLineLength: this.options.logRing?.maxLineLength ?? 16_384,
      incarnation: this.incarnation,
    });
    this.connection = connection;
    this.watchMemory(connection);
    void connection.exited.then((exit) => this.onExit(connection, exit));
    const manifestInfo = () => pythonAlgorithmInfo(readPythonManifest(this.options.root));
    void bringUp(connection, { config: this.config, identity: this.identity, events: this.events, logger: this.logger, manifestInfo }).then((outcome) => {
      if (connection !== this.connection || this.currentState !== 'starting') return;
      if (!outcome.ok) {
        this.startFailure = outcome;
        return;
      }
      this.algorithmInfo = outcome.info;
      this.adapterProfile = outcome.profile;
      this.setState('ready');
      this.gate.settle({ ok: true, connection });
    });
  }

  /** The memory limit's check of this child, until it exits. */
  private watchMemory(connection: AdapterConnection): void {
    const limitMb = this.options.memoryLimitMb;
    if (limitMb === undefined) return;
    clearInterval(this.memoryWatch);
    const watch = setInterval(() => {
      const rssBytes = connection.processId > 0 ? readProcessResources(connection.processId)?.rssBytes : undefined;
      if (rssBytes === undefined || rssBytes <= limitMb * 1024 * 1024) return;
      clearInterval(watch);
      connection.endWithFault(
        'memory-limit',
        `resident memory ${Math.round(rssBytes / 1024 / 1024)} MiB is over the memory limit of ${limitMb} MiB (memory_limit_mb)`,
      );
    }, this.options.memoryCheckIntervalMs ?? 1000);
    watch.unref();
    this.memoryWatch = watch;
    void connection.exited.then(() => clearInterval(watch));
  }

  private ensureShmDir(): string {
    const given = this.options.env?.['PROC_SHM_DIR'];
    if (given !== undefined) return given;
    if (this.privateShmDir === undefined) this.privateShmDir = createPrivateShmDir();
    else restorePrivateShmDir(this.privateShmDir);
    return this.privateShmDir;
  }

  private onExit(connection: AdapterConnection, exit: ExitInfo): void {
    if (connection !== this.connection) return;
    this.connection = undefined;
    if (this.currentState === 'stopping' || this.currentState === 'stopped') return;
    const duringStart = this.currentState === 'starting';
    const fault: FaultReason = connection.fault !== undefined && connection.fault !== 'stop' ? connection.fault : duringStart ? 'startup-failed' : 'crash';
    const how = exit.signal !== null ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
    const reported = connection.reportedError;
    const failure = this.startFailure ?? {
      ok: false as const,
      reason: duringStart ? ('startup-failed' as const) : ('crash' as const),
      code: reported?.code ?? ErrorCodes.timeout,
      message: reported ? `${reported.message} (${how})` : `${this.identity.packageName} process ended (${fault}, ${how})`,
    };
    this.startFailure = undefined;
    this.gate.settle(failure);
    const decision = this.policy.next();
    if (!decision.restart) {
      this.failedBecause = `${failure.message}; ${decision.restartsInWindow} restarts within ${this.config.restart_window_ms} ms`;
      this.setState('failed', `${decision.restartsInWindow} restarts within ${this.config.restart_window_ms} ms`);
      this.scheduleFailedRetry();
      return;
    }
    this.gate.open();
    this.setState('restarting', fault);
    this.events.emit('restart', { ...this.identity, attempt: decision.attempt, delayMs: decision.delayMs, reason: fault });
    this.restartTimer = setTimeout(() => this.launch(), decision.delayMs);
  }

  private async waitReady(): Promise<ConnectionAttempt> {
    for (;;) {
      const connection = this.connection;
      switch (this.currentState) {
        case 'ready':
          if (connection === undefined)
            return { ok: false, reason: 'crash', code: ErrorCodes.timeout, message: `${this.identity.packageName} has no running process` };
          if (connection.fault === undefined) return { ok: true, connection };
          await connection.exited;
          continue;
        case 'failed':
          return {
            ok: false,
            reason: 'failed',
            code: ErrorCodes.timeout,
            message: `${this.identity.packageName} is failed: it exhausted its restart budget (${this.config.max_restarts} within ${this.config.restart_window_ms} ms); restart it explicitly`,
          };
        case 'stopped':
        case 'stopping':
          return { ok: false, reason: 'stopped', code: ErrorCodes.timeout, message: `${this.identity.packageName} is not running; start it first` };
        default:
          return this.gate.wait();
      }
    }
  }

  /** The slower schedule of a failed process: start afresh later, forever, the delay doubling up to its ceiling. */
  private scheduleFailedRetry(): void {
    const schedule = this.options.failedRetry ?? { initialMs: 30_000, maxMs: 300_000 };
    if (schedule === false) return;
    const delayMs = Math.min(schedule.maxMs, schedule.initialMs * 2 ** this.failedRetries);
    this.failedRetries += 1;
    this.restartTimer = setTimeout(() => {
      if (this.currentState !== 'failed') return;
      this.policy.reset();
      this.events.emit('restart', { ...this.identity, attempt: this.failedRetries, delayMs, reason: 'crash' });
      this.launch();
    }, delayMs);
    this.restartTimer.unref();
  }

  /** Since when the process has been failing (first `failed` since it was last ready, ms since the epoch); undefined once ready or stopped. */
  get failedSince(): number | undefined {
    return this.failedAt;
  }

  /** Why the process is failing (its last exit, the restart budget it exhausted); undefined once ready or stopped. */
  get failureReason(): string | undefined {
    return this.failedAt === undefined ? undefined : this.failedBecause;
  }

  private setState(to: ProcessState, reason?: string): void {
    const from = this.currentState;
    if (from === to) return;
    this.currentState = to;
    if (to === 'failed') this.failedAt ??= Date.now();
    else if (to === 'ready' || to === 'stopped') {
      this.failedAt = undefined;
      if (to === 'ready') this.failedRetries = 0;
    }
    this.events.emit('state-change', { ...this.identity, from, to, ...(reason === undefined ? {} : { reason }) });
  }
}
