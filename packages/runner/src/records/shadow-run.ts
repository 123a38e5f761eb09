import type { Frame } from '@procvision/shm';
import type { RunnerLogger } from '../logger.js';
import { Runner } from '../process/runner.js';
import type { ObservedStep } from '../process/step-observer.js';
import type { StartedProcess } from '../store/process-starter.js';
import { disagreementsOf, emptyConfusion, verdictOf, type ConfusionTable, type Verdict } from '../verdicts/verdict-comparison.js';
import type { Recorder } from './recorder.js';

/** What `GET /shadow` says about one shadow run. */
export interface ShadowStats {
  pid: string;
  /** The candidate version. */
  candidate: { name: string; version: string };
  started_at: string;
  /** Live frames compared so far. */
  compared: number;
  /** Frames whose candidate verdict equals the active version's. */
  agreements: number;
  disagreements: number;
  /** `confusion.active[activeVerdict][candidateVerdict]`. */
  confusion: { active: ConfusionTable };
  /** Frames dropped because the candidate was behind (the queue was full). */
  dropped: number;
  /** Frames waiting for the candidate. */
  queued: number;
  /** Most frames waiting at once before one is dropped. */
  queue_limit: number;
  /** The candidate's last ERROR answer (code and message), or null. */
  last_error: { code: string | null; message: string } | null;
}

/** Options of {@link ShadowRun}. */
export interface ShadowRunOptions {
  pid: string;
  /** The candidate's own process (`PackageStore.startDetached`); stopped with the run. */
  candidate: StartedProcess & { process: NonNullable<StartedProcess['process']> };
  /** Frames waiting for the candidate at most (default 16); more are dropped and counted. */
  queueLimit?: number;
  /** Records the frames the candidate disagreed on (with the active version's answer), for replay. */
  recorder?: Recorder;
  logger?: RunnerLogger;
  /** Called with each comparison (metrics). */
  onCompared?: (active: Verdict, candidate: Verdict) => void;
  /** Called with each dropped frame (metrics). */
  onDropped?: () => void;
}

/**
 * A candidate version on the live frames of one PID, after the active version answered: the
 * step observer copies the frame into a bounded queue and returns (the caller never waits for
 * the candidate); one loop runs the queued frames through the candidate's own process, as
 * replay runs records (a session of its own per frame, the step's context and user params),
 * and counts its verdicts against the active version's.
 */
export class ShadowRun {
  readonly startedAt = new Date().toISOString();
  private readonly queue: ObservedStep[] = [];
  private readonly table: ConfusionTable = emptyConfusion();
  private compared = 0;
  private readonly runner: Runner;
  private readonly queueLimit: number;
  private dropped = 0;
  private lastError: ShadowStats['last_error'] = null;
  private draining: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: ShadowRunOptions) {
    this.queueLimit = options.queueLimit ?? 16;
    const candidate = options.candidate.process;
    this.runner = new Runner({ source: { processFor: () => Promise.resolve(candidate) }, logger: options.logger ?? { log() {} } });
  }

  /** The PID whose frames it takes. */
  get pid(): string {
    return this.options.pid;
  }

  /** The step observer: queues a copy of the PID's frame, or drops and counts it when the candidate is behind. */
  readonly observe = (step: ObservedStep): void => {
    if (this.stopped || step.pid !== this.options.pid) return;
    if (this.queue.length >= this.queueLimit) {
      this.dropped += 1;
      this.options.onDropped?.();
      return;
    }
    const { request } = step;
    this.queue.push({
      ...step,
      session: { id: step.session.id, context: { ...step.session.context } },
      request: { ...request, frame: copyFrame(request.frame), ...(request.guideFrame === undefined ? {} : { guideFrame: copyFrame(request.guideFrame) }) },
    });
    this.draining ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.drain()).finally(() => (this.draining = undefined));
  };

  /** The counters so far. */
  stats(): ShadowStats {
    const table = structuredClone(this.table);
    const disagreements = disagreementsOf(table);
    const candidate = this.options.candidate.process;
    return {
      pid: this.options.pid,
      candidate: { name: candidate.packageName, version: candidate.packageVersion },
      started_at: this.startedAt,
      compared: this.compared,
      agreements: this.compared - disagreements,
      disagreements,
      confusion: { active: table },
      dropped: this.dropped,
      queued: this.queue.length,
      queue_limit: this.queueLimit,
      last_error: this.lastError,
    };
  }

  /** Resolves once every queued frame is compared (and its disagreement recorded). */
  async flush(): Promise<void> {
    while (this.draining !== undefined) await this.draining;
    await this.options.recorder?.flush();
  }

  /** Stops taking frames, finishes the one in the candidate, stops the candidate; resolves with the final counters. */
  async stop(): Promise<ShadowStats> {
    this.stopped = true;
    this.queue.length = 0;
    await this.flush();
    await this.runner.close();
    await this.options.recorder?.close();
    await this.options.candidate.stop();
    return this.stats();
  }

  private async drain(): Promise<void> {
    for (let step = this.queue.shift(); step !== undefined; step = this.queue.shift()) {
      const outcome = await this.runner.runOnce(
        { pid: step.pid, context: step.session.context },
        { ...step.request, userParams: step.request.userParams ?? {} },
      );
      const active = verdictOf(step.outcome);
      const candidate = verdictOf(outcome);
      if (candidate === 'ERROR') this.lastError = { code: outcome.errorCode ?? null, message: outcome.message };
      this.table[active][candidate] += 1;
      this.compared += 1;
      this.options.onCompared?.(active, candidate);
      if (active !== candidate) this.options.recorder?.observe(step);
    }
  }
}

function copyFrame(frame: Frame): Frame {
  return frame.encoding === 'raw' ? { ...frame, pixels: frame.pixels.slice() } : { ...frame, bytes: frame.bytes.slice() };
}
