import { parseRunnerConfig, ProcVisionError, type RunnerConfig, type RunnerConfigInput } from '@procvision/manifest';
import type { FrameWriter } from '@procvision/shm';
import { AlgorithmProcess } from './algorithm-process.js';
import type { CallOutcome } from './call-outcome.js';
import type { RunnerEvents } from './events.js';
import { runStep } from './inspection.js';
import { runnerLogEntry } from './internal/runner-log.js';
import { TypedEmitter } from './internal/typed-emitter.js';
import { createStderrLogger, type LogEntry, type RunnerLogger } from '../logger.js';
import { type PackageSpec, resolvePackageSpec } from './package-spec.js';
import { InspectionSession, type InspectionSessionInit } from './session.js';
import type { StepOutcome, StepRequest } from './step-outcome.js';
import type { StepObserver } from './step-observer.js';

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
  /** Called after every step with what it was given and answered (recording, shadow runs); must return at once. */
  observers?: readonly StepObserver[];
}

interface RunningPackage {
  process: AlgorithmProcess;
  /** Set once the process is ready: segments (protocol 1) or files in `shmDir` (Python SDK). */
  writer: FrameWriter | undefined;
  steps: Promise<unknown>;
}

/**
 * The embeddable runner: one supervised adapter process and one shared-memory frame ring per
 * package, inspection sessions, and steps. Every event of every process comes out of
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
  private readonly packages = new Map<string, RunningPackage>();
  private readonly sessions = new Map<string, InspectionSession>();

  constructor(private readonly options: RunnerOptions = {}) {
    this.config = parseRunnerConfig(options.config ?? {});
    if (this.config.shared_memory_backend === 'sab') {
      throw new ProcVisionError(
        '9999',
        'shared_memory_backend "sab" reaches worker threads only; algorithm processes need "mmap" (or "dev-shm" for development)',
      );
    }
    this.logger = options.logger ?? createStderrLogger(this.config.log_level);
    this.events = new TypedEmitter<RunnerEvents>((error, event) =>
      this.logRunner('error', `a listener of ${String(event)} threw: ${(error as Error).message}`),
    );
  }

  /** Adds an event listener; returns a function that removes it. */
  on<Name extends keyof RunnerEvents>(event: Name, listener: (payload: RunnerEvents[Name]) => void): () => void {
    return this.events.on(event, listener);
  }

  /**
   * Starts a package's adapter process (name and version from its manifest.json unless given)
   * and resolves with the process once it is ready.
   * @throws ProcVisionError when the package is already running or fails to start
   */
  async startPackage(spec: PackageSpec): Promise<AlgorithmProcess> {
    const resolved = resolvePackageSpec(spec);
    if (this.packages.has(resolved.name)) throw new ProcVisionError('2006', `package ${resolved.name} is already running in this runner; stop it first`);
    const process = new AlgorithmProcess({
      packageName: resolved.name,
      packageVersion: resolved.version,
      root: resolved.root,
      adapter: resolved.adapter,
      env: resolved.env,
      config: this.config,
      events: this.events,
      logger: this.logger,
      ...(this.options.restartBackoff ? { restartBackoff: this.options.restartBackoff } : {}),
    });
    const running: RunningPackage = { process, writer: undefined, steps: Promise.resolve() };
    this.packages.set(resolved.name, running);
    try {
      await process.start();
    } catch (error) {
      await this.stopPackage(resolved.name);
      throw error;
    }
    // Python SDK adapters read frames as $PROC_SHM_DIR files named after `dev-shm:` ids.
    running.writer = process.createFrameWriter({ slots: this.options.frameSlots ?? 2 });
    return process;
  }

  /** Stops a package's process and frees its shared memory. Its open sessions end. */
  async stopPackage(packageName: string): Promise<void> {
    const running = this.packages.get(packageName);
    if (!running) return;
    this.packages.delete(packageName);
    await running.process.stop();
    running.writer?.close();
    for (const session of this.sessions.values()) if (session.packageName === packageName) this.endSession(session.id);
  }

  /** The process of a running package. */
  process(packageName: string): AlgorithmProcess | undefined {
    return this.packages.get(packageName)?.process;
  }

  /** The last stderr entries of a package's processes, oldest first. */
  recentLogs(packageName: string): LogEntry[] {
    return this.packages.get(packageName)?.process.recentLogs() ?? [];
  }

  /** Creates an inspection session for a running package. */
  createSession(init: InspectionSessionInit): InspectionSession {
    if (!this.packages.has(init.packageName))
      throw new ProcVisionError('2006', `package ${init.packageName} is not running; start it before creating sessions`);
    if (init.id !== undefined && this.sessions.has(init.id)) throw new ProcVisionError('1006', `session ${init.id} already exists`);
    const session = new InspectionSession(init);
    this.sessions.set(session.id, session);
    this.events.emit('session-start', { sessionId: session.id, packageName: session.packageName, pid: session.pid });
    return session;
  }

  /** A live session by id. */
  session(sessionId: string): InspectionSession | undefined {
    return this.sessions.get(sessionId);
  }

  /**
   * Runs one step of a session (see {@link runStep}); steps of one package run one at a time.
   * Never rejects: every failure is an ERROR outcome with its code.
   */
  runStep(sessionId: string, request: StepRequest): Promise<StepOutcome> {
    const session = this.sessions.get(sessionId);
    const running = session ? this.packages.get(session.packageName) : undefined;
    if (!session || !running) {
      const message = session ? `package ${session.packageName} is not running` : `no session ${sessionId} (ended, or never created)`;
      return Promise.resolve({
        sessionId,
        stepIndex: request.stepIndex,
        status: 'ERROR',
        errorCode: session ? '1005' : '1006',
        stage: 'validate',
        message,
        warnings: [],
        latencyMs: 0,
      });
    }
    const step = running.steps.then(async () => {
      this.events.emit('step-start', { sessionId, stepIndex: request.stepIndex });
      const writer = running.writer;
      const outcome: StepOutcome =
        writer === undefined
          ? {
              sessionId,
              stepIndex: request.stepIndex,
              status: 'ERROR',
              errorCode: '1005',
              stage: 'validate',
              message: `package ${session.packageName} has not started`,
              warnings: [],
              latencyMs: 0,
            }
          : await runStep({ process: running.process, writer, warn: (message) => this.logRunner('warn', message, session) }, session, request);
      session.steps += 1;
      this.events.emit('step-end', {
        sessionId,
        stepIndex: request.stepIndex,
        status: outcome.status,
        ...(outcome.errorCode === undefined ? {} : { errorCode: outcome.errorCode }),
        ...(outcome.resultStatus === undefined ? {} : { resultStatus: outcome.resultStatus }),
        latencyMs: outcome.latencyMs,
      });
      for (const observe of this.options.observers ?? []) {
        try {
          observe({ pid: session.pid, packageName: session.packageName, packageVersion: running.process.packageVersion, session, request, outcome });
        } catch (error) {
          this.logRunner('error', `a step observer threw: ${(error as Error).message}`, session);
        }
      }
      return outcome;
    });
    running.steps = step.catch(() => undefined);
    return step;
  }

  /**
   * Restarts an inspection: clears the session state and calls the algorithm's `reset(session)`.
   * An adapter that does not announce `reset` (the Python SDK) gets no call: the outcome is OK
   * with `attempts: 0` and `source: "runner"`.
   */
  async resetSession(sessionId: string): Promise<CallOutcome> {
    const session = this.requireSession(sessionId);
    session.clearState();
    this.events.emit('session-reset', { sessionId });
    const running = this.packages.get(session.packageName);
    if (!running) throw new ProcVisionError('1005', `package ${session.packageName} is not running`);
    if (running.process.profile?.hasReset === false) {
      return {
        status: 'OK',
        message: `${session.packageName}'s adapter has no reset; the session state was cleared`,
        data: {},
        latencyMs: 0,
        attempts: 0,
        source: 'runner',
      };
    }
    const outcome = await running.process.call({ phase: 'reset', session: session.toWire() }, { sessionId });
    session.applyState(outcome.sessionState);
    return outcome;
  }

  /** Ends a session: its state is dropped. */
  endSession(sessionId: string): void {
    const session = this.sessions.get(sessionId);
    if (!session) return;
    session.ended = true;
    this.sessions.delete(sessionId);
    this.events.emit('session-end', { sessionId, steps: session.steps });
  }

  /** Stops every package and frees all shared memory. */
  async close(): Promise<void> {
    await Promise.all([...this.packages.keys()].map((name) => this.stopPackage(name)));
  }

  private requireSession(sessionId: string): InspectionSession {
    const session = this.sessions.get(sessionId);
    if (!session) throw new ProcVisionError('1006', `no session ${sessionId} (ended, or never created)`);
    return session;
  }

  private logRunner(level: LogEntry['level'], message: string, session?: InspectionSession): void {
    this.logger.log(
      runnerLogEntry(level, message, {
        packageName: session?.packageName ?? '',
        packageVersion: this.process(session?.packageName ?? '')?.packageVersion ?? '',
        sessionId: session?.id ?? null,
      }),
    );
  }
}
