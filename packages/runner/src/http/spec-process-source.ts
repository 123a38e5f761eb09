import type { Runner } from '../process/runner.js';
import { type PackageSpec, resolvePackageSpec } from '../process/package-spec.js';
import { failingFields, type PackageReadiness, type ProcessSource } from './process-source.js';

/**
 * Package folders given directly (no store), started in the service's {@link Runner}: each
 * pid goes to the first package whose `supported_pids` has it (a Python v0.3 package, which
 * lists none, serves any pid no other one lists). A package that fails to start is reported
 * by `packages()` with its error; the others serve.
 */
export function specProcessSource(specs: readonly PackageSpec[], runner: Runner): ProcessSource {
  const failures = new Map<string, string>();
  let resolved: Array<ReturnType<typeof resolvePackageSpec> & { instances: number }> = [];
  return {
    async start() {
      resolved = specs.map((spec) => ({ ...resolvePackageSpec(spec), instances: spec.instances ?? 1 }));
      await Promise.all(
        resolved.map(({ instances, ...spec }) =>
          runner.startPackage(spec, { instances }).then(
            () => failures.delete(spec.name),
            (error: Error) => failures.set(spec.name, error.message),
          ),
        ),
      );
    },
    stop: () => runner.close(),
    processFor: async (pid) => (await runner.processesFor(pid))[0]!,
    async packages(): Promise<PackageReadiness[]> {
      return resolved.map((spec) => {
        const processes = runner.processes(spec.name);
        const error = failures.get(spec.name);
        const first = processes[0];
        return {
          name: spec.name,
          version: spec.version,
          pids: first?.info?.supported_pids ?? [],
          state: first === undefined ? (error === undefined ? 'stopped' : 'failed') : poolState(processes.map((process) => process.state)),
          ...(first?.processId === undefined ? {} : { os_pid: first.processId }),
          ...(processes.length > 1
            ? { instances: processes.map((process) => ({ state: process.state, ...(process.processId === undefined ? {} : { os_pid: process.processId }) })) }
            : {}),
          ...(processes.every((process) => process.failedSince !== undefined) ? failingFields(first) : {}),
          ...(error === undefined ? {} : { error }),
        };
      });
    },
  };
}

/** A pool is `ready` while any instance is (it serves); else the first instance's state. */
function poolState(states: readonly string[]): string {
  return states.includes('ready') ? 'ready' : (states[0] ?? 'stopped');
}
