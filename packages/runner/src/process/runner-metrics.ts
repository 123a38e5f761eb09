import { mmapBackendKind } from '@procvision/shm';
import type { Counter, Histogram, Registry } from 'prom-client';
import { runnerVersion } from '../internal/runner-version.js';
import type { FaultReason, ProcessState, RunnerEvents } from './events.js';
import { readProcessResources } from './internal/process-resources.js';
import { loadPromClient } from './internal/prom-client.js';
import type { StepOutcome } from './step-outcome.js';

/** Latency buckets (seconds) of the call and step histograms: 5 ms to 30 s. */
export const latencyBucketsSeconds: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Anything that emits runner events: a `Runner`, an `AlgorithmProcess`, a `PackageStore`
 * (the events of every process it starts).
 */
export interface RunnerEventSource {
  on<Name extends keyof RunnerEvents>(event: Name, listener: (payload: RunnerEvents[Name]) => void): () => void;
  /** The current state, when the source is one process (read when it is watched). */
  readonly state?: ProcessState;
  readonly packageName?: string;
  readonly packageVersion?: string;
  /** Child processes the source spawned before it was watched (an `AlgorithmProcess` watched after its start). */
  readonly starts?: number;
}

/** An algorithm process whose CPU and memory the metrics read ({@link RunnerMetrics.track}); an `AlgorithmProcess` is one. */
export interface TrackedProcess {
  readonly packageName: string;
  readonly packageVersion: string;
  /** OS process id of the running child, if any. */
  readonly processId: number | undefined;
  readonly state: ProcessState;
}

/** The package and version bound to each PID now (a store's `bindings()`). */
export type BindingsProvider = () => Promise<Readonly<Record<string, { name: string; version: string }>>>;

/** Every fault and restart reason, so their counters start at zero for each package. */
const faultReasons: readonly FaultReason[] = ['crash', 'timeout', 'heartbeat-lost', 'protocol-error', 'fatal-error', 'startup-failed', 'memory-limit'];

/** Options of {@link RunnerMetrics}. */
export interface RunnerMetricsOptions {
  /** Registry to register in (default a new one; merge it with `Registry.merge([yours, metrics.registry])`). */
  registry?: Registry;
  /** Collect Node's default process metrics (CPU, memory, event loop lag, fds...) in the registry (default true). */
  defaultMetrics?: boolean;
  /** The `shm_backend` label of `procvision_build_info` (default `mmap-native` or `mmap-file`, as this process loads it). */
  shmBackend?: string;
}

/**
 * The runner's Prometheus metrics on a prom-client {@link Registry}: calls and steps by
 * outcome and code with their duration histograms, process starts, restarts and faults (a
 * child that dies unasked, SIGKILL included, is a fault `crash`), processes per state, calls in
 * flight, build info and Node's default process metrics. Works without the HTTP service:
 * embedders `watch()` a Runner, a process or a store and serve `registry` themselves.
 * prom-client is loaded by the first constructor call, not by importing `@procvision/runner`.
 *
 * @example
 * ```ts
 * const metrics = runnerMetrics(runner);
 * const merged = Registry.merge([myRegistry, metrics.registry]);
 * app.get('/metrics', async () => merged.metrics());
 * ```
 */
export class RunnerMetrics {
  /** The registry every series is in. */
  readonly registry: Registry;
  private readonly states = new Map<string, ProcessState>();
  private readonly watched = new WeakSet<object>();
  private readonly detach: Array<() => void> = [];
  /** OS pids whose end the runner already counted as a fault (heartbeat, timeout...). */
  private readonly faulted = new Set<number>();
  private inflightCalls = 0;
  /** Processes whose CPU and RSS are read at each scrape, in the order they were tracked. */
  private readonly tracked = new Set<TrackedProcess>();
  /** Packages whose counters were set to zero. */
  private readonly initialised = new Set<string>();
  private bindingsProvider: BindingsProvider | undefined;
  private readonly calls: Counter;
  private readonly callDuration: Histogram;
  private readonly steps: Counter;
  private readonly stepDuration: Histogram;
  private readonly starts: Counter;
  private readonly restarts: Counter;
  private readonly faults: Counter;

  constructor(options: RunnerMetricsOptions = {}) {
    const { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } = loadPromClient();
    const registry = options.registry ?? new Registry();
    this.registry = registry;
    const registers = [registry];
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
    const build = new Gauge({
      name: 'procvision_build_info',
      help: 'Always 1; the labels name the runner version, the Node version and the shared-memory backend.',
      labelNames: ['version', 'node', 'shm_backend'],
      registers,
    });
    build.set({ version: runnerVersion, node: process.version, shm_backend: options.shmBackend ?? `mmap-${mmapBackendKind()}` }, 1);
    this.calls = new Counter({
      name: 'procvision_calls_total',
      help: 'Calls to algorithm processes (one per attempt), by package, phase, status and error code.',
      labelNames: ['package', 'phase', 'status', 'code'],
      registers,
    });
    this.callDuration = new Histogram({
      name: 'procvision_call_duration_seconds',
      help: 'Duration of call attempts, by package and phase.',
      labelNames: ['package', 'phase'],
      buckets: [...latencyBucketsSeconds],
      registers,
    });
    this.steps = new Counter({
      name: 'procvision_steps_total',
      help: 'Inspection steps, by package, version, status, verdict (result_status) and error code.',
      labelNames: ['package', 'version', 'status', 'result_status', 'code'],
      registers,
    });
    this.stepDuration = new Histogram({
      name: 'procvision_step_duration_seconds',
      help: 'Wall time of whole steps (validate, frame, pre, execute), by package and version.',
      labelNames: ['package', 'version'],
      buckets: [...latencyBucketsSeconds],
      registers,
    });
    this.starts = new Counter({ name: 'procvision_process_starts_total', help: 'Child processes spawned, by package.', labelNames: ['package'], registers });
    this.restarts = new Counter({
      name: 'procvision_process_restarts_total',
      help: 'Restarts of algorithm processes, by package and reason.',
      labelNames: ['package', 'reason'],
      registers,
    });
    this.faults = new Counter({
      name: 'procvision_process_faults_total',
      help: 'Faults of algorithm processes (the runner ended the child, or it died unasked), by package and reason.',
      labelNames: ['package', 'reason'],
      registers,
    });
    const countStates = () => this.countStates();
    const samples = () => this.sampleResources();
    new Counter({
      name: 'procvision_algorithm_cpu_seconds_total',
      help: 'CPU time (user + system) of each running algorithm process, by package, version and instance (resets when the process restarts).',
      labelNames: ['package', 'version', 'instance'],
      registers,
      collect() {
        this.reset();
        for (const sample of samples()) this.inc(sample.labels, sample.cpuSeconds);
      },
    });
    new Gauge({
      name: 'procvision_algorithm_resident_memory_bytes',
      help: 'Resident memory (RSS) of each running algorithm process, by package, version and instance.',
      labelNames: ['package', 'version', 'instance'],
      registers,
      collect() {
        this.reset();
        for (const sample of samples()) this.set(sample.labels, sample.rssBytes);
      },
    });
    const bindings = () => this.bindingsProvider?.() ?? Promise.resolve({});
    new Gauge({
      name: 'procvision_active_binding',
      help: 'Always 1: the package and version each PID is bound to now.',
      labelNames: ['pid', 'package', 'version'],
      registers,
      async collect() {
        const now: Readonly<Record<string, { name: string; version: string }>> = await bindings().catch(() => ({}));
        this.reset();
        for (const [pid, ref] of Object.entries(now)) this.set({ pid, package: ref.name, version: ref.version }, 1);
      },
    });
    const inflightCalls = () => this.inflightCalls;
    new Gauge({
      name: 'procvision_processes',
      help: 'Algorithm processes by state (ready = serving calls).',
      labelNames: ['state'],
      registers,
      collect() {
        this.reset();
        for (const [state, count] of countStates()) this.set({ state }, count);
      },
    });
    new Gauge({
      name: 'procvision_active_processes',
      help: 'Algorithm processes ready for calls.',
      registers,
      collect() {
        this.set(countStates().get('ready') ?? 0);
      },
    });
    new Gauge({
      name: 'procvision_inflight_calls',
      help: 'Calls sent to algorithm processes and not yet answered.',
      registers,
      collect() {
        this.set(inflightCalls());
      },
    });
  }

  /**
   * Follows a source's calls, steps, starts, restarts, faults and states (once per source).
   * Returns a function that stops following it.
   */
  watch(source: RunnerEventSource): () => void {
    if (this.watched.has(source)) return () => undefined;
    this.watched.add(source);
    if (source.state !== undefined && source.packageName !== undefined) this.states.set(`${source.packageName}@${source.packageVersion ?? ''}`, source.state);
    if (source.packageName !== undefined) {
      this.initialise(source.packageName, source.packageVersion ?? '');
      // A process watched after its start (the store starts it before the service sees it).
      if (source.starts !== undefined && source.starts > 0) this.starts.inc({ package: source.packageName }, source.starts);
    }
    const offs = [
      source.on('call-start', () => void (this.inflightCalls += 1)),
      source.on('call-end', (event) => {
        this.inflightCalls = Math.max(0, this.inflightCalls - 1);
        this.calls.inc({ package: event.packageName, phase: event.phase, status: event.status, code: event.errorCode ?? '' });
        this.callDuration.observe({ package: event.packageName, phase: event.phase }, event.latencyMs / 1000);
      }),
      source.on('step-end', (event) => this.countStep(event)),
      source.on('process-start', (event) => this.starts.inc({ package: event.packageName })),
      source.on('restart', (event) => this.restarts.inc({ package: event.packageName, reason: event.reason })),
      source.on('process-fault', (event) => {
        this.faulted.add(event.processId);
        this.faults.inc({ package: event.packageName, reason: event.reason });
      }),
      source.on('process-exit', (event) => {
        const counted = this.faulted.delete(event.processId);
        // An unasked exit the runner did not cause: a crash, or a failed start-up while starting.
        const starting = this.states.get(`${event.packageName}@${event.packageVersion}`) === 'starting';
        if (!event.expected && !counted) this.faults.inc({ package: event.packageName, reason: starting ? 'startup-failed' : 'crash' });
      }),
      source.on('state-change', (event) => void this.states.set(`${event.packageName}@${event.packageVersion}`, event.to)),
    ];
    const stop = () => {
      for (const off of offs.splice(0)) off();
    };
    this.detach.push(stop);
    return stop;
  }

  /** Counts a step the caller ran itself (outside a watched `Runner`, which counts its own). */
  recordStep(outcome: StepOutcome, ran: { packageName: string; packageVersion: string } = { packageName: '', packageVersion: '' }): void {
    this.countStep({ ...outcome, ...ran });
  }

  /**
   * Reads the CPU seconds and RSS of `process` at each scrape while it runs (forgotten once
   * stopped; track it again when it is started again), and sets its package's counters to zero.
   */
  track(process: TrackedProcess): void {
    this.tracked.add(process);
    this.initialise(process.packageName, process.packageVersion);
  }

  /** Serves `procvision_active_binding` from `provider` (a store's bindings), read at each scrape. */
  bindings(provider: BindingsProvider): void {
    this.bindingsProvider = provider;
  }

  /** The exposition text of the whole registry. */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  /** The Content-Type of {@link RunnerMetrics.metrics} (Prometheus text format 0.0.4). */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Stops following every source (the registry keeps its values). */
  close(): void {
    for (const stop of this.detach.splice(0)) stop();
  }

  private countStep(outcome: {
    packageName: string;
    packageVersion: string;
    status: string;
    resultStatus?: string;
    errorCode?: string;
    latencyMs: number;
  }): void {
    const ran = { package: outcome.packageName, version: outcome.packageVersion };
    this.steps.inc({ ...ran, status: outcome.status, result_status: outcome.resultStatus ?? '', code: outcome.errorCode ?? '' });
    this.stepDuration.observe(ran, outcome.latencyMs / 1000);
  }

  /** Zero for a package's counters, so `increase()` sees its first start, fault, restart and step. */
  private initialise(packageName: string, packageVersion: string): void {
    const key = `${packageName}@${packageVersion}`;
    if (this.initialised.has(key)) return;
    this.initialised.add(key);
    this.starts.inc({ package: packageName }, 0);
    for (const reason of faultReasons) {
      this.faults.inc({ package: packageName, reason }, 0);
      this.restarts.inc({ package: packageName, reason }, 0);
    }
    if (packageVersion === '') return;
    for (const [status, verdict] of [
      ['OK', 'OK'],
      ['OK', 'NG'],
      ['ERROR', ''],
    ] as const)
      this.steps.inc({ package: packageName, version: packageVersion, status, result_status: verdict, code: '' }, 0);
  }

  /** CPU and RSS of every tracked process with a running child; the instance is its place among its version's processes. */
  private sampleResources(): Array<{ labels: { package: string; version: string; instance: string }; cpuSeconds: number; rssBytes: number }> {
    const samples: Array<{ labels: { package: string; version: string; instance: string }; cpuSeconds: number; rssBytes: number }> = [];
    const instances = new Map<string, number>();
    for (const process of this.tracked) {
      if (process.state === 'stopped') {
        this.tracked.delete(process);
        continue;
      }
      const key = `${process.packageName}@${process.packageVersion}`;
      const instance = instances.get(key) ?? 0;
      instances.set(key, instance + 1);
      const pid = process.processId;
      const resources = pid === undefined ? undefined : readProcessResources(pid);
      if (resources === undefined) continue;
      samples.push({ labels: { package: process.packageName, version: process.packageVersion, instance: String(instance) }, ...resources });
    }
    return samples;
  }

  private countStates(): Map<ProcessState, number> {
    const counts = new Map<ProcessState, number>();
    for (const state of this.states.values()) counts.set(state, (counts.get(state) ?? 0) + 1);
    return counts;
  }
}

/**
 * The runner's metrics for a Runner, a process or a `PackageStore`, without the HTTP service.
 *
 * @example
 * ```ts
 * const metrics = runnerMetrics(runner, { defaultMetrics: false });
 * process.stdout.write(await metrics.metrics());
 * ```
 */
export function runnerMetrics(source: RunnerEventSource, options: RunnerMetricsOptions = {}): RunnerMetrics {
  const metrics = new RunnerMetrics(options);
  metrics.watch(source);
  return metrics;
}
