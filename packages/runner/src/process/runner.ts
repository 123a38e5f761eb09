import { ErrorCodes, parseRunnerConfig, ProcVisionError, type RunnerConfig, type RunnerConfigInput } from '@procvision/manifest';
import type { FrameWriter } from '@procvision/shm';
import type { AlgorithmProcess } from './algorithm-process.js';
import type { CallOutcome } from './call-outcome.js';
import type { RunnerEvents } from './events.js';
import { runInspectionStep } from './inspection.js';
import { runnerLogEntry } from './internal/runner-log.js';
import { TypedEmitter } from './internal/typed-emitter.js';
import { createStderrLogger, type LogEntry, type RunnerLogger } from '../logger.js';
import { traceIdFromContext } from '../trace-context.js';
import { type PackageSpec, resolvePackageSpec } from './package-spec.js';
import { InspectionSession, type InspectionSessionInit } from './session.js';
import { startPackageProcess } from './start-process.js';
import type { StepOutcome, StepRequest } from './step-outcome.js';
import type { StepObserver } from './step-observer.js';

/**
 * Where a {@link Runner} finds the processes of packages it did not start itself (a package
 * store's active packages): asked again at every step, so a switch or rollback takes effect
 * at the next step.
 */
export interface RunnerProcessSource {
  /**
   * The ready process (or the processes of a pool) that inspect `pid`.
   * @throws ProcVisionError 1001 when no package serves the pid, or its start-up failure
   */
  processFor(pid: string): Promise<AlgorithmProcess | readonly AlgorithmProcess[]>;
}

/** Options for {@link Runner}. */
export interface RunnerOptions {
  /** Runner config (docs/spec/protocol.md); missing keys take the defaults, unknown keys are rejected. */
  config?: RunnerConfigInput;
  /** Where algorithm stderr lines and the runner's own warnings go (default: JSON lines on stderr at `log_level`). */
  logger?: RunnerLogger;
  /** Restart back-off of every process (default 250 ms doubling up to 10 s). */
  restartBackoff?: { initialMs: number; maxMs: number };
  /** Shared-memory slots per process (default 2: one frame in a call, the next being written). */
  frameSlots?: number;
  /** Live sessions at once (default unlimited); one more is 3006 with `details.retry_after_s`. */
  maxSessions?: number;
  /** A session untouched this long (no read, step or reset) ends by itself (default never). */
  sessionIdleMs?: number;
  /** Processes of packages this runner does not start (a store's); asked for a pid no started package serves. */
  source?: RunnerProcessSource;
  /**
   * Called with every step outcome, once, as the step ends (after `step-end`): the one place a
   * step's outcome leaves the engine (metrics, recording).
   */
  onStepEnd?: (outcome: StepOutcome, session: InspectionSession) => void;
  /** Called once with every process a step is about to use for the first time (metrics subscribe to it). */
  onProcess?: (process: AlgorithmProcess) => void;
  /** Called after every step with what it was given and answered (recording, shadow runs); must return at once. */
  observers?: readonly StepObserver[];
}

/** What {@link Runner.openSession} starts from: the pid picks the package. */
export interface OpenSessionInit {
  /** The product id; the package that serves it inspects the session. */
  pid: string;
  /** Read-only context passed to every call. */
  context?: Record<string, unknown>;
  /** Session id; a random UUID when absent. */
  id?: string;
}

/** One process and the shared-memory ring its frames go through; its steps run one at a time. */
interface Lane {
  writer: FrameWriter;
  queue: Promise<unknown>;
  /** Steps queued or running on this lane. */
  pending: number;
}

/** A session the runner keeps, with its own queue: its steps run in order. */
interface SessionEntry {
  session: InspectionSession;
  queue: Promise<unknown>;
  /** Steps or resets queued or running: never expired under them. */
  busy: number;
}

const unlimited = Number.POSITIVE_INFINITY;

/**
 * The embeddable runner, and the one step engine under the HTTP service: supervised adapter
 * processes (one per package, or a pool of `instances`), a shared-memory frame ring per
 * process, inspection sessions (bounded by `maxSessions`, ended after `sessionIdleMs` idle),
 * and steps. A session's steps run in order; steps of different sessions run in parallel on
 * the instances of a pool. Every event of every process it starts comes out of
 * {@link Runner.on}; every log line goes to the logger.
 *
 * @example
 * ```ts
 * const runner = new Runner({ config: { execute_timeout_ms: 5000 } });
 * runner.on('state-change', (event) => console.error(event.packageName, event.from, '->', event.to));
 * await runner.startPackage({ root: '/opt/procvision/algorithms/deployed/screw-check/1.2.0' });
 * const session = runner.createSession({ packageName: 'screw-check', pid: 'A01', context: { trace_id: 't-1' } });
 * const outcome = await runner.runStep(session.id, { stepIndex: 1, frame: { encoding: 'jpeg', bytes, width: 1920, height: 1200 } });
 * runner.endSession(session.id);
 * await runner.close();
 * ```
 */
export class Runner {
  /** The validated config shared by every process. */
  readonly config: RunnerConfig;
  /** Every event of the runner and its processes. */
  readonly events: TypedEmitter<RunnerEvents>;
  private readonly logger: RunnerLogger;
  /** Package name -> its processes (one, or a pool). */
  private readonly packages = new Map<string, AlgorithmProcess[]>();
  /** Session id -> entry; Map order is least recently used first. */
  private readonly sessions = new Map<string, SessionEntry>();
  private readonly lanes = new Map<AlgorithmProcess, Lane>();
  private readonly lastUsed = new Map<string, number>();
  private readonly maxSessions: number;
  private readonly sessionIdleMs: number;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly options: RunnerOptions = {}) {
    this.config = parseRunnerConfig(options.config ?? {});
    if (this.config.shared_memory_backend === 'sab') {
      throw new ProcVisionError(
        ErrorCodes.unknownError,
        'shared_memory_backend "sab" reaches worker threads only; algorithm processes need "mmap" (or "dev-shm" for development)',
      );
    }
    this.maxSessions = options.maxSessions ?? unlimited;
    this.sessionIdleMs = options.sessionIdleMs ?? unlimited;
    this.logger = options.logger ?? createStderrLogger(this.config.log_level);
    this.events = new TypedEmitter<RunnerEvents>((error, event) =>
      this.logRunner('error', `a listener of ${String(event)} threw: ${(error as Error).message}`),
    );
    if (Number.isFinite(this.sessionIdleMs)) {
      this.sweeper = setInterval(() => this.expireIdle(), Math.max(50, Math.min(this.sessionIdleMs / 4, 30_000)));
      this.sweeper.unref();
    }
  }

  /** Adds an event listener; returns a function that removes it. */
  on<Name extends keyof RunnerEvents>(event: Name, listener: (payload: RunnerEvents[Name]) => void): () => void {
    return this.events.on(event, listener);
  }

  /**
   * Starts a package's adapter processes (`instances`, default 1; name and version from its
   * manifest.json unless given) and resolves with the first once all are ready.
   * @throws ProcVisionError when the package is already running or fails to start
   */
  async startPackage(spec: PackageSpec, options: { instances?: number } = {}): Promise<AlgorithmProcess> {
    const resolved = resolvePackageSpec(spec);
    const instances = options.instances ?? 1;
    if (!Number.isInteger(instances) || instances < 1 || instances > 64)
      throw new ProcVisionError(ErrorCodes.invalidParams, `instances must be an integer from 1 to 64, got ${String(instances)}`, {
        details: { field: 'instances' },
      });
    if (this.packages.has(resolved.name))
      throw new ProcVisionError(ErrorCodes.activationConflict, `package ${resolved.name} is already running in this runner; stop it first`);
    const processes: AlgorithmProcess[] = [];
    this.packages.set(resolved.name, processes);
    const started = await Promise.allSettled(
      Array.from({ length: instances }, () =>
        startPackageProcess(resolved, {
          config: this.config,
          events: this.events,
          logger: this.logger,
          ...(this.options.restartBackoff ? { restartBackoff: this.options.restartBackoff } : {}),
        }).then((process) => void processes.push(process)),
      ),
    );
    const failed = started.find((result) => result.status === 'rejected');
    if (failed !== undefined || this.packages.get(resolved.name) !== processes) {
      await this.stopProcesses(resolved.name, processes);
      throw failed?.reason ?? new ProcVisionError(ErrorCodes.timeout, `package ${resolved.name} was stopped while it started`);
    }
    return processes[0]!;
  }

  /** Stops a package's processes and frees their shared memory. Its open sessions end. */
  async stopPackage(packageName: string): Promise<void> {
    const processes = this.packages.get(packageName);
    if (!processes) return;
    await this.stopProcesses(packageName, processes);
  }

  private async stopProcesses(packageName: string, processes: readonly AlgorithmProcess[]): Promise<void> {
    if (this.packages.get(packageName) === processes) this.packages.delete(packageName);
    for (const { session } of [...this.sessions.values()]) if (session.packageName === packageName) this.endSession(session.id);
    await Promise.all(processes.map((process) => process.stop()));
    for (const process of processes) this.dropLane(process);
  }

  /** The (first) process of a running package. */
  process(packageName: string): AlgorithmProcess | undefined {
    return this.packages.get(packageName)?.[0];
  }

  /** Every process of a running package (its pool's instances, in start order). */
  processes(packageName: string): readonly AlgorithmProcess[] {
    return this.packages.get(packageName) ?? [];
  }

  /** The names of the packages this runner started. */
  packageNames(): string[] {
    return [...this.packages.keys()];
  }

  /** The last stderr entries of a package's processes, oldest first. */
  recentLogs(packageName: string): LogEntry[] {
    return (this.packages.get(packageName) ?? []).flatMap((process) => process.recentLogs());
  }

  /**
   * The processes that inspect `pid`: the started package whose `supported_pids` has it (a
   * Python v0.3 package, which lists none, serves any pid no other lists), else the source's.
   * @throws ProcVisionError 1001 when none serves the pid
   */
  async processesFor(pid: string): Promise<readonly AlgorithmProcess[]> {
    const running = [...this.packages.values()].filter((processes) => processes[0]?.info !== undefined);
    const own =
      running.find((processes) => processes[0]!.info!.supported_pids.includes(pid)) ??
      running.find((processes) => processes[0]!.info!.supported_pids.length === 0);
    if (own !== undefined) return own;
    if (this.options.source !== undefined) {
      const found = await this.options.source.processFor(pid);
      return Array.isArray(found) ? (found as readonly AlgorithmProcess[]) : [found as AlgorithmProcess];
    }
    const served = running.flatMap((processes) => processes[0]!.info!.supported_pids);
    throw new ProcVisionError(
      ErrorCodes.invalidPid,
      `no running package serves pid ${JSON.stringify(pid)}; served pids: ${served.length > 0 ? served.join(', ') : 'none'}`,
      {
        details: { field: 'pid', pid },
      },
    );
  }

  /**
   * Creates an inspection session for a package this runner started.
   * @throws ProcVisionError 2006 when it is not running, 1006 for a taken id, 3006 at `maxSessions`
   */
  createSession(init: InspectionSessionInit): InspectionSession {
    if (!this.packages.has(init.packageName) && this.options.source === undefined)
      throw new ProcVisionError(ErrorCodes.activationConflict, `package ${init.packageName} is not running; start it before creating sessions`);
    return this.addSession(init);
  }

  /**
   * Creates an inspection session for a pid: the package serving it (started here, or the
   * source's) inspects it.
   * @throws ProcVisionError 1001 when no package serves the pid, 3006 at `maxSessions`
   */
  async openSession(init: OpenSessionInit): Promise<InspectionSession> {
    this.checkCapacity();
    const processes = await this.processesFor(init.pid);
    return this.addSession({ ...init, packageName: processes[0]?.packageName ?? '' });
  }

  private addSession(init: InspectionSessionInit): InspectionSession {
    if (init.id !== undefined && this.sessions.has(init.id)) throw new ProcVisionError(ErrorCodes.invalidParams, `session ${init.id} already exists`);
    this.checkCapacity();
    const session = new InspectionSession(init);
    this.sessions.set(session.id, { session, queue: Promise.resolve(), busy: 0 });
    this.lastUsed.set(session.id, performance.now());
    this.events.emit('session-start', { sessionId: session.id, packageName: session.packageName, pid: session.pid });
    return session;
  }

  /** A live session by id (reading it counts as using it, for `sessionIdleMs`). */
  session(sessionId: string): InspectionSession | undefined {
    this.touch(sessionId);
    return this.sessions.get(sessionId)?.session;
  }

  /** Live sessions. */
  get sessionCount(): number {
    return this.sessions.size;
  }

  /**
   * Runs one step of a session (see {@link runInspectionStep}): after the session's earlier steps, on
   * the least busy ready instance of its package. Never rejects: every failure is an ERROR
   * outcome with its code.
   */
  runStep(sessionId: string, request: StepRequest): Promise<StepOutcome> {
    const entry = this.sessions.get(sessionId);
    if (!entry) return Promise.resolve(validateFailure(sessionId, request, ErrorCodes.invalidParams, `no session ${sessionId} (ended, or never created)`));
    return this.inOrder(entry, () => this.dispatch(entry.session, request));
  }

  /**
   * One step in a session of its own (not listed, not counted against `maxSessions`, ended
   * with the step): what `POST /execute` runs. Never rejects for algorithm failures.
   * @throws ProcVisionError 1001 when no package serves the pid
   */
  async runOnce(init: OpenSessionInit, request: StepRequest): Promise<StepOutcome> {
    const processes = await this.processesFor(init.pid);
    const session = new InspectionSession({ ...init, packageName: processes[0]?.packageName ?? '' });
    try {
      return await this.dispatch(session, request);
    } finally {
      session.ended = true;
    }
  }

  /**
   * Restarts an inspection: clears the session state and calls the algorithm's `reset(session)`
   * (after the session's earlier steps). An adapter that does not announce `reset` (the Python
   * SDK) gets no call: the outcome is OK with `attempts: 0` and `source: "runner"`.
   * @throws ProcVisionError 1006 for an unknown session, 1001/1005 when its package is gone
   */
  resetSession(sessionId: string): Promise<CallOutcome> {
    const entry = this.sessions.get(sessionId);
    if (!entry) return Promise.reject(new ProcVisionError(ErrorCodes.invalidParams, `no session ${sessionId} (ended, or never created)`));
    return this.inOrder(entry, async () => {
      const { session } = entry;
      session.clearState();
      this.events.emit('session-reset', { sessionId });
      const process = this.pick(await this.processesOf(session));
      if (process.profile?.hasReset === false) {
        return {
          status: 'OK',
          message: `${session.packageName}'s adapter has no reset; the session state was cleared`,
          data: {},
          latencyMs: 0,
          attempts: 0,
          source: 'runner',
        } satisfies CallOutcome;
      }
      const outcome = await process.call({ phase: 'reset', session: session.toWire() }, { sessionId });
      session.applyState(outcome.sessionState);
      return outcome;
    });
  }

  /** Ends a session: its state is dropped. */
  endSession(sessionId: string): void {
    const entry = this.sessions.get(sessionId);
    if (!entry) return;
    entry.session.ended = true;
    this.sessions.delete(sessionId);
    this.lastUsed.delete(sessionId);
    this.events.emit('session-end', { sessionId, steps: entry.session.steps });
  }

  /** Ends the sessions idle for longer than `sessionIdleMs` (none with a step running); returns how many. */
  expireIdle(now = performance.now()): number {
    let expired = 0;
    for (const [id, used] of this.lastUsed) {
      if (now - used < this.sessionIdleMs || (this.sessions.get(id)?.busy ?? 0) > 0) continue;
      this.endSession(id);
      expired += 1;
    }
    return expired;
  }

  /** Ends every session, stops every package and frees all shared memory. */
  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    for (const id of [...this.sessions.keys()]) this.endSession(id);
    await Promise.all([...this.packages.keys()].map((name) => this.stopPackage(name)));
    for (const process of [...this.lanes.keys()]) this.dropLane(process);
  }

  /** Runs `work` after the session's queued work, keeping the session busy (never expired) meanwhile. */
  private inOrder<Result>(entry: SessionEntry, work: () => Promise<Result>): Promise<Result> {
    entry.busy += 1;
    this.touch(entry.session.id);
    const result = entry.queue.then(work).finally(() => {
      entry.busy -= 1;
      this.touch(entry.session.id);
    });
    entry.queue = result.catch(() => undefined);
    return result;
  }

  /** The step itself, wherever it came from: the one place a step's outcome is produced. */
  private async dispatch(session: InspectionSession, request: StepRequest): Promise<StepOutcome> {
    this.events.emit('step-start', { sessionId: session.id, stepIndex: request.stepIndex });
    let outcome: StepOutcome;
    let ran: AlgorithmProcess | undefined;
    try {
      const process = this.pick(await this.processesOf(session));
      ran = process;
      outcome = await this.runOn(process, session, request);
      // A process stopped under the step by a switch or rollback: once more on the one serving the pid now.
      if (outcome.status === 'ERROR' && outcome.errorCode === ErrorCodes.timeout && (process.state === 'stopping' || process.state === 'stopped')) {
        const replacement = await this.processesOf(session).then(
          (processes) => this.pick(processes),
          () => process,
        );
        if (replacement !== process) {
          ran = replacement;
          outcome = await this.runOn(replacement, session, request);
        }
      }
    } catch (error) {
      const code = ProcVisionError.isInstance(error) ? error.code : ErrorCodes.timeout;
      outcome = validateFailure(session.id, request, code, (error as Error).message);
    }
    session.steps += 1;
    this.events.emit('step-end', {
      sessionId: session.id,
      stepIndex: request.stepIndex,
      packageName: session.packageName,
      packageVersion: ran?.packageVersion ?? '',
      status: outcome.status,
      ...(outcome.errorCode === undefined ? {} : { errorCode: outcome.errorCode }),
      ...(outcome.resultStatus === undefined ? {} : { resultStatus: outcome.resultStatus }),
      latencyMs: outcome.latencyMs,
    });
    this.options.onStepEnd?.(outcome, session);
    for (const observe of this.options.observers ?? []) {
      try {
        observe({ pid: session.pid, packageName: session.packageName, packageVersion: ran?.packageVersion ?? '', session, request, outcome });
      } catch (error) {
        this.logRunner('error', `a step observer threw: ${(error as Error).message}`, session, request);
      }
    }
    const verdict = outcome.resultStatus === undefined ? '' : ` (${outcome.resultStatus})`;
    const failure = outcome.status === 'ERROR' ? ` ${outcome.errorCode ?? ''} at ${outcome.stage}: ${outcome.message}` : '';
    this.logRunner(
      'debug',
      `step ${request.stepIndex} of ${session.pid} ${outcome.status}${verdict}${failure} in ${Math.round(outcome.latencyMs * 10) / 10} ms`,
      session,
      request,
    );
    return outcome;
  }

  /** The processes of a session's package now (its started pool, else the source's for its pid). */
  private processesOf(session: InspectionSession): Promise<readonly AlgorithmProcess[]> {
    const own = this.packages.get(session.packageName);
    if (own !== undefined && own.length > 0) return Promise.resolve(own);
    if (this.options.source === undefined) return Promise.reject(new ProcVisionError(ErrorCodes.timeout, `package ${session.packageName} is not running`));
    return this.processesFor(session.pid);
  }

  /** The instance to use: a ready one with the fewest steps queued (any one when none is ready). */
  private pick(processes: readonly AlgorithmProcess[]): AlgorithmProcess {
    let best: AlgorithmProcess | undefined;
    let bestScore = Number.POSITIVE_INFINITY;
    for (const process of processes) {
      const score = (this.lanes.get(process)?.pending ?? 0) + (process.state === 'ready' ? 0 : 1_000_000);
      if (score < bestScore) {
        best = process;
        bestScore = score;
      }
    }
    if (best === undefined) throw new ProcVisionError(ErrorCodes.timeout, 'the package has no process');
    return best;
  }

  private runOn(process: AlgorithmProcess, session: InspectionSession, request: StepRequest): Promise<StepOutcome> {
    const lane = this.lane(process);
    lane.pending += 1;
    const step = lane.queue
      .then(() => runInspectionStep({ process, writer: lane.writer, warn: (message) => this.logRunner('warn', message, session, request) }, session, request))
      .finally(() => void (lane.pending -= 1));
    lane.queue = step.catch(() => undefined);
    return step;
  }

  private lane(process: AlgorithmProcess): Lane {
    const existing = this.lanes.get(process);
    if (existing) return existing;
    if (process.state === 'stopped' || process.profile === undefined)
      throw new ProcVisionError(ErrorCodes.timeout, `${process.packageName}@${process.packageVersion} is not running; retry the step`);
    this.options.onProcess?.(process);
    const lane: Lane = { writer: process.createFrameWriter({ slots: this.options.frameSlots ?? 2 }), queue: Promise.resolve(), pending: 0 };
    this.lanes.set(process, lane);
    const detach = process.on('state-change', () => {
      if (process.state !== 'stopped') return;
      detach();
      this.dropLane(process);
    });
    return lane;
  }

  /** Forgets a process's lane; its ring is freed once the steps queued on it are done. */
  private dropLane(process: AlgorithmProcess): void {
    const lane = this.lanes.get(process);
    if (!lane) return;
    this.lanes.delete(process);
    void lane.queue.then(() => lane.writer.close());
  }

  private touch(id: string): void {
    if (!this.sessions.has(id)) return;
    this.lastUsed.delete(id);
    this.lastUsed.set(id, performance.now());
  }

  /** Refuses a new session at `maxSessions` (after ending idle ones), saying when to retry. */
  private checkCapacity(): void {
    if (this.sessions.size < this.maxSessions) return;
    this.expireIdle();
    if (this.sessions.size < this.maxSessions) return;
    const oldest = this.lastUsed.values().next().value ?? performance.now();
    const retryAfterS = Math.max(1, Math.ceil((oldest + this.sessionIdleMs - performance.now()) / 1000));
    const idle = Number.isFinite(this.sessionIdleMs) ? ` (idle sessions end after ${Math.round(this.sessionIdleMs / 1000)} s)` : '';
    throw new ProcVisionError(
      ErrorCodes.tooManySessions,
      `${this.maxSessions} sessions are open, the limit; end finished ones with DELETE /sessions/{id}${idle}`,
      {
        details: { limit: this.maxSessions, retry_after_s: Number.isFinite(retryAfterS) ? retryAfterS : 60 },
      },
    );
  }

  private logRunner(level: LogEntry['level'], message: string, session?: InspectionSession, request?: StepRequest): void {
    const traceId = request?.traceId ?? traceIdFromContext(session?.context);
    this.logger.log(
      runnerLogEntry(level, message, {
        packageName: session?.packageName ?? '',
        packageVersion: this.process(session?.packageName ?? '')?.packageVersion ?? '',
        sessionId: session?.id ?? null,
        ...(traceId === undefined ? {} : { traceId }),
      }),
    );
  }
}

/** The ERROR outcome of a step refused before any frame was written. */
function validateFailure(sessionId: string, request: StepRequest, errorCode: StepOutcome['errorCode'] & string, message: string): StepOutcome {
  return { sessionId, stepIndex: request.stepIndex, status: 'ERROR', errorCode, stage: 'validate', message, warnings: [], latencyMs: 0 };
}
