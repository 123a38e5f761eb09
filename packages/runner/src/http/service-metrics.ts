import { Counter, Gauge, Histogram } from 'prom-client';
import type { AlgorithmProcess } from '../process/algorithm-process.js';
import { RunnerMetrics, type RunnerMetricsOptions } from '../process/runner-metrics.js';
import type { StepOutcome } from '../process/step-outcome.js';
import type { Recorder } from '../records/recorder.js';
import type { Verdict } from '../verdicts/verdict-comparison.js';

/** Buckets (seconds) of the HTTP request duration histogram: 1 ms to 30 s. */
const requestBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The service's metrics: the runner's ({@link RunnerMetrics}: calls, steps, processes, build
 * info, Node's process metrics) and the HTTP layer's (requests by method, route and status,
 * their duration histogram, requests in flight), all in one prom-client registry.
 */
export class ServiceMetrics {
  /** The runner's series and the registry. */
  readonly runner: RunnerMetrics;
  private inflightRequests = 0;
  private readonly requests: Counter;
  private readonly requestDuration: Histogram;
  private readonly shadowSteps: Counter;
  private readonly shadowDrops: Counter;
  private recorder: Recorder | undefined;
  private readonly reconciles: Counter;
  private readonly reconcileDrift: Gauge;
  private readonly reconcileLastSuccess: Gauge;

  constructor(options: RunnerMetricsOptions = {}) {
    this.runner = new RunnerMetrics(options);
    const registers = [this.runner.registry];
    this.requests = new Counter({
      name: 'procvision_http_requests_total',
      help: 'HTTP requests answered, by method, route and status.',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.requestDuration = new Histogram({
      name: 'procvision_http_request_duration_seconds',
      help: "Time from a request's arrival to its answer, by method, route and status.",
      labelNames: ['method', 'route', 'status'],
      buckets: requestBuckets,
      registers,
    });
    this.shadowSteps = new Counter({
      name: 'procvision_shadow_steps_total',
      help: "Live frames a shadow run compared, by PID, the active version's verdict and the candidate's.",
      labelNames: ['pid', 'active', 'candidate'],
      registers,
    });
    this.shadowDrops = new Counter({
      name: 'procvision_shadow_dropped_total',
      help: 'Live frames a shadow run dropped because the candidate was behind, by PID.',
      labelNames: ['pid'],
      registers,
    });
    const recording = () => this.recorder?.stats() ?? {};
    const recorderSeries = (name: string, help: string, field: 'recorded' | 'dropped' | 'write_errors') =>
      new Counter({
        name,
        help,
        labelNames: ['pid'],
        registers,
        collect() {
          this.reset();
          for (const [pid, stats] of Object.entries(recording())) this.inc({ pid }, stats[field]);
        },
      });
    recorderSeries('procvision_records_written_total', 'Steps recorded (config.json recording), by PID.', 'recorded');
    recorderSeries(
      'procvision_records_dropped_total',
      'Steps not recorded because the write queue was full (the disk is slower than the line), by PID.',
      'dropped',
    );
    recorderSeries('procvision_records_write_errors_total', 'Records lost to a write error (full disk ...), by PID.', 'write_errors');
    new Gauge({
      name: 'procvision_records_bytes',
      help: "Bytes of a PID's recorded steps on disk.",
      labelNames: ['pid'],
      registers,
      collect() {
        this.reset();
        for (const [pid, stats] of Object.entries(recording())) this.set({ pid }, stats.bytes);
      },
    });
    this.reconciles = new Counter({
      name: 'procvision_reconcile_total',
      help: 'Reconciles of the desired state, by outcome (ok, error).',
      labelNames: ['outcome'],
      registers,
    });
    this.reconcileDrift = new Gauge({
      name: 'procvision_reconcile_drift_pids',
      help: 'Pids of the desired state not running their desired version after the last reconcile.',
      registers,
    });
    this.reconcileLastSuccess = new Gauge({
      name: 'procvision_reconcile_last_success_timestamp_seconds',
      help: 'When the last reconcile without error ended (Unix seconds).',
      registers,
    });
    const inflight = () => this.inflightRequests;
    new Gauge({
      name: 'procvision_http_inflight_requests',
      help: 'HTTP requests being served.',
      registers,
      collect() {
        this.set(inflight());
      },
    });
  }

  /** Follows a process's calls, restarts, faults and state (once per process). */
  watch(process: AlgorithmProcess): void {
    this.runner.watch(process);
  }

  /** Serves the recorder's counters (records written, dropped, bytes) per PID. */
  watchRecorder(recorder: Recorder): void {
    this.recorder = recorder;
  }

  /** Counts a live frame a shadow run compared. */
  shadowCompared(pid: string, active: Verdict, candidate: Verdict): void {
    this.shadowSteps.inc({ pid, active, candidate });
  }

  /** Counts a live frame a shadow run dropped. */
  shadowDropped(pid: string): void {
    this.shadowDrops.inc({ pid });
  }

  /** Reads a process's CPU seconds and RSS at each scrape (see {@link RunnerMetrics.track}). */
  track(process: AlgorithmProcess): void {
    this.runner.track(process);
  }

  /** Counts a step by status, verdict and code, and its duration. */
  recordStep(outcome: StepOutcome): void {
    this.runner.recordStep(outcome);
  }

  /** Counts a reconcile and sets the drift (pids not in sync) it left. */
  recordReconcile(ok: boolean, driftPids: number): void {
    this.reconciles.inc({ outcome: ok ? 'ok' : 'error' });
    this.reconcileDrift.set(driftPids);
    if (ok) this.reconcileLastSuccess.set(Date.now() / 1000);
  }

  /** Counts a request in flight; call the returned function once it is answered. */
  requestStart(): (method: string, route: string, status: number) => void {
    this.inflightRequests += 1;
    const started = process.hrtime.bigint();
    return (method, route, status) => {
      this.inflightRequests -= 1;
      const labels = { method, route, status: String(status) };
      this.requests.inc(labels);
      this.requestDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    };
  }

  /** HTTP requests being served now. */
  get inflight(): number {
    return this.inflightRequests;
  }

  /** The exposition text (`text/plain; version=0.0.4`). */
  render(): Promise<string> {
    return this.runner.metrics();
  }

  /** The Content-Type of {@link ServiceMetrics.render}. */
  get contentType(): string {
    return this.runner.contentType;
  }

  /** Stops following the processes. */
  close(): void {
    this.runner.close();
  }
}
