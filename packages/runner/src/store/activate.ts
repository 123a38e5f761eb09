import { ErrorCodes, ProcVisionError } from '@procvision/manifest';
import { type ActiveBinding, type ActiveBindings, readActiveBindings, refersTo, writeActiveBindings } from './active-bindings.js';
import { processKey, type StoreContext } from './internal/store-context.js';
import type { StartedProcess } from './process-starter.js';
import { findEntry, readRegistry, type RegistryEntry } from './registry.js';
import { deployedPath } from './store-paths.js';

/** `activate` refuses a PID bound to another package; `switch` replaces the binding. */
type ActivationMode = 'activate' | 'switch';

/** A PID a version may serve: one of its supported_pids; any PID for a Python v0.3.2 package whose manifest lists none. */
function acceptsPid(entry: RegistryEntry, pid: string): boolean {
  if (entry.kind === 'python' && entry.supported_pids.length === 0) return true;
  return entry.supported_pids.includes(pid);
}

function checkPids(entry: RegistryEntry, pids: readonly string[], bindings: ActiveBindings, mode: ActivationMode): void {
  const label = `${entry.name}@${entry.version}`;
  if (pids.length === 0) throw new ProcVisionError(ErrorCodes.activationConflict, `activate ${label}: give at least one PID`);
  for (const pid of pids) {
    if (!acceptsPid(entry, pid))
      throw new ProcVisionError(ErrorCodes.activationConflict, `PID ${pid} is not in the supported_pids of ${label} (${entry.supported_pids.join(', ')})`, {
        details: { pid },
      });
    const bound = bindings[pid];
    if (mode === 'activate' && bound !== undefined && !refersTo(bound, entry.name, entry.version)) {
      throw new ProcVisionError(
        ErrorCodes.activationConflict,
        `PID ${pid} is bound to ${bound.name}@${bound.version}; switch it to ${label} instead of activating`,
        {
          details: { pid, bound },
        },
      );
    }
  }
}

/** Stops the processes of this store that no PID is bound to any more. */
export async function stopUnboundProcesses(context: StoreContext, bindings: ActiveBindings): Promise<void> {
  const wanted = new Set(Object.values(bindings).map((binding) => processKey(binding.name, binding.version)));
  for (const [key, started] of context.running) {
    if (wanted.has(key)) continue;
    context.running.delete(key);
    await started.stop();
  }
}

/** Returns the running process of a version, starting it (handshake included) when needed. */
export async function ensureProcess(context: StoreContext, entry: RegistryEntry): Promise<StartedProcess> {
  const key = processKey(entry.name, entry.version);
  const running = context.running.get(key);
  if (running !== undefined) return running;
  const pending = context.starting.get(key);
  if (pending !== undefined) return pending;
  const starting = context.starter({ name: entry.name, version: entry.version, root: deployedPath(context.paths, entry.name, entry.version), entry });
  context.starting.set(key, starting);
  try {
    const started = await starting;
    context.running.set(key, started);
    return started;
  } finally {
    context.starting.delete(key);
  }
}

/**
 * Writes `next` as active.json once the process of every version it newly binds is started and
 * handshaken, then stops the processes no PID is bound to any more. A start-up or write failure
 * stops what this call started and leaves active.json as it was. The caller holds the store lock.
 * @throws ProcVisionError 2009 when a bound version is not installed, 2005 when active.json cannot be written, or the start-up failure's code
 */
export async function commitBindings(context: StoreContext, before: ActiveBindings, next: ActiveBindings): Promise<ActiveBindings> {
  const registry = await readRegistry(context.paths);
  const needed = new Map<string, RegistryEntry>();
  for (const binding of Object.values(next)) {
    const key = processKey(binding.name, binding.version);
    if (needed.has(key)) continue;
    const entry = findEntry(registry, binding.name, binding.version);
    if (entry === undefined)
      throw new ProcVisionError(
        ErrorCodes.packageNotInstalled,
        `${binding.name}@${binding.version} is not installed in ${context.paths.root}; install its zip first`,
      );
    needed.set(key, entry);
  }
  try {
    for (const entry of needed.values()) await ensureProcess(context, entry);
    await writeActiveBindings(context.paths, next).catch((error: unknown) => {
      throw new ProcVisionError(ErrorCodes.installFailed, `cannot write ${context.paths.active}: ${(error as Error).message}`, { cause: error });
    });
  } catch (error) {
    await stopUnboundProcesses(context, before);
    throw error;
  }
  await stopUnboundProcesses(context, next);
  return next;
}

/**
 * Binds PIDs to an installed version; the caller holds the store lock. Every PID must be in
 * supported_pids and (for `activate`) not bound to another version (2006). The version's
 * process is started and handshaken first (a `failed` one is restarted afresh, its restart budget forgotten); only then is active.json rewritten (atomically)
 * with each changed PID's `previous`, and processes left without a PID are stopped.
 * @throws ProcVisionError 2006, or the start-up failure's code (bindings unchanged)
 */
export async function activatePackage(
  context: StoreContext,
  name: string,
  version: string,
  pids: readonly string[],
  mode: ActivationMode,
): Promise<ActiveBindings> {
  const entry = findEntry(await readRegistry(context.paths), name, version);
  if (entry === undefined)
    throw new ProcVisionError(ErrorCodes.packageNotInstalled, `${name}@${version} is not installed in ${context.paths.root}; install its zip first`);
  const bindings = await readActiveBindings(context.paths);
  checkPids(entry, pids, bindings, mode);
  // Activating (or switching to) the version a failed process runs is the operator's way to heal it: start it afresh.
  const running = context.running.get(processKey(name, version));
  if (running?.process?.state === 'failed') await running.process.restart();
  const next: ActiveBindings = { ...bindings };
  const activatedAt = new Date().toISOString();
  for (const pid of pids) {
    const bound = bindings[pid];
    if (bound !== undefined && refersTo(bound, name, version)) continue;
    next[pid] = { name, version, activated_at: activatedAt, previous: bound === undefined ? null : { name: bound.name, version: bound.version } };
  }
  return commitBindings(context, bindings, next);
}

/** Refuses (2006) when a PID is not bound to `name@version`: an undo applies only to the activation it undoes. */
function checkBoundTo(bindings: ActiveBindings, name: string, version: string, pids: readonly string[], operation: string): void {
  if (pids.length === 0) throw new ProcVisionError(ErrorCodes.activationConflict, `${operation} ${name}@${version}: give at least one PID`);
  for (const pid of pids) {
    const bound = bindings[pid];
    if (bound === undefined || !refersTo(bound, name, version)) {
      const actual = bound === undefined ? 'no package' : `${bound.name}@${bound.version}`;
      throw new ProcVisionError(ErrorCodes.activationConflict, `cannot ${operation} ${name}@${version} for PID ${pid}: the PID runs ${actual}`, {
        details: { pid },
      });
    }
  }
}

/**
 * Removes the bindings of PIDs bound to `name@version` (the undo of a first activation: the
 * PIDs then run nothing) and stops the processes left without a PID. The caller holds the store lock.
 * @throws ProcVisionError 2006 when a PID is not bound to `name@version`
 */
export async function deactivatePids(context: StoreContext, name: string, version: string, pids: readonly string[]): Promise<ActiveBindings> {
  const bindings = await readActiveBindings(context.paths);
  checkBoundTo(bindings, name, version, pids, 'deactivate');
  const next: ActiveBindings = { ...bindings };
  for (const pid of pids) delete next[pid];
  return commitBindings(context, bindings, next);
}

/**
 * Undoes an activation of `name@version` exactly: each PID gets back the binding it had before
 * (`activated_at` and `previous` included, so history stays as it was), or no binding when it
 * had none. The earlier versions' processes are ready before the flip. The caller holds the store lock.
 * @throws ProcVisionError 2006 when a PID is not bound to `name@version`, 2009 when an earlier version is no longer installed
 */
export async function restoreBindings(
  context: StoreContext,
  name: string,
  version: string,
  earlier: Readonly<Record<string, ActiveBinding | null>>,
): Promise<ActiveBindings> {
  const bindings = await readActiveBindings(context.paths);
  const pids = Object.keys(earlier);
  checkBoundTo(bindings, name, version, pids, 'restore');
  const next: ActiveBindings = { ...bindings };
  for (const pid of pids) {
    const binding = earlier[pid];
    if (binding === null || binding === undefined) delete next[pid];
    else next[pid] = binding;
  }
  return commitBindings(context, bindings, next);
}
