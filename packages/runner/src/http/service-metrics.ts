import type { AlgorithmProcess } from '../process/algorithm-process.js';
import type { ProcessState } from '../process/events.js';
import type { StepOutcome } from '../process/step-outcome.js';
import { Counter, Gauge, Histogram, type Metric } from './internal/prometheus.js';

const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The service's Prometheus metrics, fed by the processes' events, the steps and the HTTP layer:
 * calls and steps by outcome and code, their latency histograms, process restarts and faults,
 * processes per state, requests in flight.
 */
export class ServiceMetrics {
  private readonly processes = new Map<string, AlgorithmProcess>();
  private readonly watched = new WeakSet<AlgorithmProcess>();
  private readonly detach: Array<() => void> = [];
  private inflightCalls = 0;
  private inflightRequests = 0;
  private readonly startedAt = Date.now();
  private readonly calls = new Counter('procvision_calls_total', 'Calls to algorithm processes (one per attempt), by package, phase, status and error code.');
  private readonly callLatency = new Histogram('procvision_call_latency_seconds', 'Latency of call attempts, by package and phase.', latencyBuckets);
  private readonly steps = new Counter('procvision_steps_total', 'Inspection steps, by status, verdict and error code.');
  private readonly stepLatency = new Histogram('procvision_step_latency_seconds', 'Wall time of whole steps (validate, frame, pre, execute).', latencyBuckets);
  private readonly restarts = new Counter('procvision_process_restarts_total', 'Restarts of algorithm processes, by package and reason.');
  private readonly faults = new Counter('procvision_process_faults_total', 'Faults of algorithm processes, by package and reason.');
  private readonly requests = new Counter('procvision_http_requests_total', 'HTTP requests answered, by method, route and status.');
  private readonly families: Metric[];

  constructor() {
    this.families = [
      this.calls,
      this.callLatency,
      this.steps,
      this.stepLatency,
      this.restarts,
      this.faults,
      new Gauge('procvision_processes', 'Algorithm processes by state (ready = active and serving).', () => this.countStates()),
      new Gauge('procvision_active_processes', 'Algorithm processes ready for calls.', () => [{ labels: {}, value: this.countReady() }]),
      new Gauge('procvision_inflight_calls', 'Calls sent to algorithm processes and not yet answered.', () => [{ labels: {}, value: this.inflightCalls }]),
      new Gauge('procvision_inflight_requests', 'HTTP requests being served.', () => [{ labels: {}, value: this.inflightRequests }]),
      this.requests,
      new Gauge('procvision_uptime_seconds', 'Seconds since the service started.', () => [{ labels: {}, value: (Date.now() - this.startedAt) / 1000 }]),
    ];
  }

  /** Follows a process's calls, restarts, faults and state (once per process). */
  watch(process: AlgorithmProcess): void {
    if (this.watched.has(process)) return;
    this.watched.add(process);
    this.processes.set(`${process.packageName}@${process.packageVersion}`, process);
    this.detach.push(
      process.on('call-start', () => (this.inflightCalls += 1)),
      process.on('call-end', (event) => {
        this.inflightCalls = Math.max(0, this.inflightCalls - 1);
        this.calls.inc({ package: event.packageName, phase: event.phase, status: event.status, code: event.errorCode ?? '' });
        this.callLatency.observe({ package: event.packageName, phase: event.phase }, event.latencyMs / 1000);
      }),
      process.on('restart', (event) => this.restarts.inc({ package: event.packageName, reason: event.reason })),
      process.on('process-fault', (event) => this.faults.inc({ package: event.packageName, reason: event.reason })),
    );
  }

  /** Counts a step by status, verdict and code, and its latency. */
  recordStep(outcome: StepOutcome): void {
    this.steps.inc({ status: outcome.status, result_status: outcome.resultStatus ?? '', code: outcome.errorCode ?? '' });
    this.stepLatency.observe({}, outcome.latencyMs / 1000);
  }

  /** Counts a request in flight; call the returned function once it is answered. */
  requestStart(): (method: string, route: string, status: number) => void {
    this.inflightRequests += 1;
    return (method, route, status) => {
      this.inflightRequests -= 1;
      this.requests.inc({ method, route, status: String(status) });
    };
  }

  /** HTTP requests being served now. */
  get inflight(): number {
    return this.inflightRequests;
  }

  /** The exposition text (`text/plain; version=0.0.4`). */
  render(): string {
    return this.families.map((family) => family.render()).join('');
  }

  /** Stops following the processes. */
  close(): void {
    for (const detach of this.detach.splice(0)) detach();
  }

  private countReady(): number {
    return [...this.processes.values()].filter((process) => process.state === 'ready').length;
  }

  private countStates(): Array<{ labels: Record<string, string>; value: number }> {
    const counts = new Map<ProcessState, number>();
    for (const process of this.processes.values()) counts.set(process.state, (counts.get(process.state) ?? 0) + 1);
    return [...counts].map(([state, value]) => ({ labels: { state }, value }));
  }
}
