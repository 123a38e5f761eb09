import { ProcVisionError } from '@procvision/manifest';
import { type PackageSpec, resolvePackageSpec } from '../package-spec.js';
import type { Runner } from '../runner.js';
import type { PackageReadiness, ReadinessReport } from './routes/health-routes.js';
import type { ServiceStore } from './service-store.js';

/** What {@link ServicePackages} manages. */
export interface ServicePackagesOptions {
  runner: Runner;
  store: ServiceStore | undefined;
  /** Packages started without a store. */
  specs: PackageSpec[];
  /** Reports a package that failed to start (the service keeps running; `/ready` says why). */
  log: (message: string) => void;
}

/**
 * The packages a service runs: the store's active packages, or the packages it was given.
 * Starts and stops them, routes a pid to its package, and reports readiness.
 */
export class ServicePackages {
  private phase: 'idle' | 'starting' | 'started' = 'idle';
  private readonly startFailures = new Map<string, string>();
  private readonly names: string[] = [];

  constructor(private readonly options: ServicePackagesOptions) {}

  /** Opens the store (failures reject) or starts the given packages (failures are kept for `/ready`). */
  async start(): Promise<void> {
    this.phase = 'starting';
    const { store, runner, specs } = this.options;
    if (store) await store.open();
    await Promise.all(
      specs.map(async (spec) => {
        let name = spec.root;
        try {
          name = resolvePackageSpec(spec).name;
          this.names.push(name);
          await runner.startPackage(spec);
        } catch (error) {
          this.startFailures.set(name, (error as Error).message);
          this.options.log(`package ${name} did not start: ${(error as Error).message}`);
        }
      }),
    );
    this.phase = 'started';
  }

  /** Stops every process (through the store when there is one). */
  async stop(): Promise<void> {
    if (this.options.store) await this.options.store.close();
    await this.options.runner.close();
  }

  /**
   * The running package that inspects `pid`.
   * @throws ProcVisionError 1001 when no active package serves it
   */
  async packageFor(pid: string): Promise<string> {
    if (this.options.store) return this.options.store.packageFor(pid);
    const name = this.names.find((candidate) => this.options.runner.process(candidate)?.info?.supported_pids.includes(pid));
    if (name === undefined) {
      const served = this.names.flatMap((candidate) => this.options.runner.process(candidate)?.info?.supported_pids ?? []);
      throw new ProcVisionError('1001', `no active package serves pid ${JSON.stringify(pid)}; served pids: ${served.length > 0 ? served.join(', ') : 'none'}`, { details: { field: 'pid' } });
    }
    return name;
  }

  /** Ready when started, not closing, and every expected package's process is ready. */
  async readiness(closing: boolean): Promise<ReadinessReport> {
    const reasons: string[] = [];
    if (closing) reasons.push('the service is shutting down');
    if (this.phase !== 'started') reasons.push(this.options.store ? 'opening the store and starting the active packages' : 'starting the packages');
    const packages = this.phase === 'started' ? await this.expectedPackages() : [];
    for (const entry of packages) {
      if (entry.state !== 'ready') reasons.push(`${entry.name}@${entry.version} is ${entry.state}${this.startFailures.has(entry.name) ? `: ${this.startFailures.get(entry.name)}` : ''}`);
    }
    return { ready: reasons.length === 0, reasons, packages };
  }

  private async expectedPackages(): Promise<PackageReadiness[]> {
    const { runner, store } = this.options;
    const state = (name: string) => runner.process(name)?.state ?? 'stopped';
    if (!store) {
      return this.names.map((name) => {
        const info = runner.process(name)?.info;
        return { name, version: info?.version ?? '', pids: info?.supported_pids ?? [], state: state(name) };
      });
    }
    const byPackage = new Map<string, PackageReadiness>();
    for (const [pid, ref] of Object.entries(await store.bindings())) {
      const runningName = await store.packageFor(pid).catch(() => ref.name);
      const key = `${ref.name}@${ref.version}`;
      const entry = byPackage.get(key) ?? { name: ref.name, version: ref.version, pids: [], state: state(runningName) };
      entry.pids.push(pid);
      byPackage.set(key, entry);
    }
    return [...byPackage.values()];
  }
}
