import { ProcVisionError } from '@procvision/manifest';
import type { FrameWriter } from '@procvision/shm';
import type { AlgorithmProcess } from '../process/algorithm-process.js';
import type { CallOutcome } from '../process/call-outcome.js';
import { runStep } from '../process/inspection.js';
import { InspectionSession } from '../process/session.js';
import type { StepOutcome, StepRequest } from '../process/step-outcome.js';
import type { ObservedStep } from '../process/step-observer.js';
import type { ProcessSource } from './process-source.js';

interface ProcessLane {
  writer: FrameWriter;
  /** Steps of one process run one at a time (their frame stays in the ring until released). */
  steps: Promise<unknown>;
}

/** Hooks of {@link InspectionSessions}. */
interface InspectionHooks {
  /** Called with every process a step is about to use (metrics subscribe to its events). */
  onProcess(process: AlgorithmProcess): void;
  /** Called with every step outcome, and the step as observers see it (see `StepObserver`). */
  onStep(outcome: StepOutcome, step: ObservedStep): void;
  /** Receives warnings (truncated defects...). */
  warn(message: string, session: InspectionSession): void;
}

/** How many sessions {@link InspectionSessions} keeps, and for how long. */
interface SessionLimits {
  /** Live sessions at once; one more is 3006 (429 with `Retry-After`). */
  maxSessions: number;
  /** A session untouched this long (no read, step or reset) ends by itself. */
  sessionIdleMs: number;
}

const unlimited: SessionLimits = { maxSessions: Number.POSITIVE_INFINITY, sessionIdleMs: Number.POSITIVE_INFINITY };

/**
 * The service's inspection sessions. Each step asks the process source for the process of
 * the session's pid again, so a switch or rollback takes effect at the next step; the frame
 * goes through that process's own shared-memory ring (2 slots), and steps of one process are
 * serialised.
 */
export class InspectionSessions {
  private readonly sessions = new Map<string, InspectionSession>();
  private readonly lanes = new Map<AlgorithmProcess, ProcessLane>();
  /** Session id -> when it was last used (ms, monotonic); Map order is creation order. */
  private readonly lastUsed = new Map<string, number>();
  /** Sessions with a step or reset running: never expired under it. */
  private readonly busy = new Map<string, number>();
  private readonly sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly source: ProcessSource,
    private readonly hooks: InspectionHooks,
    private readonly limits: SessionLimits = unlimited,
  ) {
    if (Number.isFinite(limits.sessionIdleMs)) {
      this.sweeper = setInterval(() => this.expireIdle(), Math.max(50, Math.min(limits.sessionIdleMs / 4, 30_000)));
      this.sweeper.unref();
    }
  }

  /** Live sessions. */
  get size(): number {
    return this.sessions.size;
  }

  /** Ends the sessions idle for longer than `sessionIdleMs`; returns how many. */
  expireIdle(now = performance.now()): number {
    let expired = 0;
    for (const [id, used] of this.lastUsed) {
      if (now - used < this.limits.sessionIdleMs || this.busy.has(id)) continue;
      const session = this.sessions.get(id);
      if (session) this.end(session);
      expired += 1;
    }
    return expired;
  }

  private touch(id: string): void {
    if (!this.sessions.has(id)) return;
    this.lastUsed.delete(id);
    this.lastUsed.set(id, performance.now());
  }

  private async whileBusy<Result>(session: InspectionSession, work: () => Promise<Result>): Promise<Result> {
    this.busy.set(session.id, (this.busy.get(session.id) ?? 0) + 1);
    this.touch(session.id);
    try {
      return await work();
    } finally {
      const left = (this.busy.get(session.id) ?? 1) - 1;
      if (left === 0) this.busy.delete(session.id);
      else this.busy.set(session.id, left);
      this.touch(session.id);
    }
  }

  /** Refuses a new session at the cap (after ending idle ones), saying when to retry. */
  private checkCapacity(): void {
    if (this.sessions.size < this.limits.maxSessions) return;
    this.expireIdle();
    if (this.sessions.size < this.limits.maxSessions) return;
    const oldest = this.lastUsed.values().next().value ?? performance.now();
    const retryAfterS = Math.max(1, Math.ceil((oldest + this.limits.sessionIdleMs - performance.now()) / 1000));
    throw new ProcVisionError(
      '3006',
      `${this.limits.maxSessions} sessions are open, the limit; end finished ones with DELETE /sessions/{id} (idle sessions end after ${Math.round(this.limits.sessionIdleMs / 1000)} s)`,
      {
        details: { limit: this.limits.maxSessions, retry_after_s: Number.isFinite(retryAfterS) ? retryAfterS : 60 },
      },
    );
  }

  /**
   * Creates a session for a pid served by an active package.
   * @throws ProcVisionError 1001 when no package serves the pid
   */
  async create(pid: string, context: Record<string, unknown> | undefined): Promise<InspectionSession> {
    this.checkCapacity();
    const process = await this.source.processFor(pid);
    this.checkCapacity();
    const session = new InspectionSession({ packageName: process.packageName, pid, ...(context ? { context } : {}) });
    this.sessions.set(session.id, session);
    this.lastUsed.set(session.id, performance.now());
    return session;
  }

  /**
   * A session of one step (`POST /execute`): not listed, not counted against `maxSessions`
   * (it lives as long as its request, which the connection limit bounds), ended by the caller.
   * @throws ProcVisionError 1001 when no package serves the pid
   */
  async createOneShot(pid: string, context: Record<string, unknown> | undefined): Promise<InspectionSession> {
    const process = await this.source.processFor(pid);
    return new InspectionSession({ packageName: process.packageName, pid, ...(context ? { context } : {}) });
  }

  /** A live session (reading it counts as using it). */
  get(id: string): InspectionSession | undefined {
    this.touch(id);
    return this.sessions.get(id);
  }

  /**
   * Runs one step (validate, frame, pre, execute); never rejects for algorithm failures.
   * A step whose process was stopped under it by a switch or rollback (1005 from a process
   * now stopping) runs again, once, on the process that serves the pid now.
   */
  step(session: InspectionSession, request: StepRequest): Promise<StepOutcome> {
    return this.whileBusy(session, () => this.stepNow(session, request));
  }

  private async stepNow(session: InspectionSession, request: StepRequest): Promise<StepOutcome> {
    const process = await this.source.processFor(session.pid);
    let ran = process;
    let outcome = await this.runOn(process, session, request);
    if (outcome.status === 'ERROR' && outcome.errorCode === '1005' && (process.state === 'stopping' || process.state === 'stopped')) {
      const replacement = await this.source.processFor(session.pid).catch(() => process);
      if (replacement !== process) {
        ran = replacement;
        outcome = await this.runOn(replacement, session, request);
      }
    }
    session.steps += 1;
    this.hooks.onStep(outcome, { pid: session.pid, packageName: ran.packageName, packageVersion: ran.packageVersion, session, request, outcome });
    return outcome;
  }

  /** Clears a session's state and calls the algorithm's `reset(session)`. */
  reset(session: InspectionSession): Promise<CallOutcome> {
    return this.whileBusy(session, () => this.resetNow(session));
  }

  private async resetNow(session: InspectionSession): Promise<CallOutcome> {
    session.clearState();
    const process = await this.source.processFor(session.pid);
    const outcome = await process.call({ phase: 'reset', session: session.toWire() }, { sessionId: session.id });
    session.applyState(outcome.sessionState);
    return outcome;
  }

  /** Ends a session (its state is dropped). */
  end(session: InspectionSession): void {
    session.ended = true;
    this.sessions.delete(session.id);
    this.lastUsed.delete(session.id);
  }

  /** Ends every session and frees every shared-memory ring. */
  close(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    for (const session of this.sessions.values()) this.end(session);
    for (const lane of this.lanes.values()) lane.writer.close();
    this.lanes.clear();
  }

  private runOn(process: AlgorithmProcess, session: InspectionSession, request: StepRequest): Promise<StepOutcome> {
    const lane = this.lane(process);
    const step = lane.steps.then(() => runStep({ process, writer: lane.writer, warn: (message) => this.hooks.warn(message, session) }, session, request));
    lane.steps = step.catch(() => undefined);
    return step;
  }

  private lane(process: AlgorithmProcess): ProcessLane {
    const existing = this.lanes.get(process);
    if (existing) return existing;
    if (process.state === 'stopped') throw new ProcVisionError('1005', `${process.packageName}@${process.packageVersion} was stopped; retry the step`);
    this.hooks.onProcess(process);
    const lane: ProcessLane = { writer: process.createFrameWriter({ slots: 2 }), steps: Promise.resolve() };
    this.lanes.set(process, lane);
    const detach = process.on('state-change', (event) => {
      if (event.to !== 'stopped') return;
      detach();
      this.lanes.delete(process);
      void lane.steps.then(() => lane.writer.close());
    });
    return lane;
  }
}
