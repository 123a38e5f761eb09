import { randomBytes } from 'node:crypto';
import { rename, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ProcVisionError, ErrorCodes } from '@procvision/manifest';
import { type ActiveBindings, readActiveBindings, refersTo, writeActiveBindings } from './active-bindings.js';
import { stopUnboundProcesses } from './activate.js';
import { processKey, type StoreContext } from './internal/store-context.js';
import { noteIntent } from './internal/store-journal.js';
import { liveServices } from './live-services.js';
import { findEntry, readRegistry, type RegistryEntry, writeRegistry } from './registry.js';
import { deployedPath } from './store-paths.js';

/** Options of {@link uninstallPackage}. */
export interface UninstallOptions {
  /** Remove even when active or running: its PIDs are unbound and its process stopped. */
  force?: boolean;
}

/** Bindings without `name@version`: PIDs bound to it dropped, `previous` pointers to it cleared. */
function withoutVersion(bindings: ActiveBindings, name: string, version: string): ActiveBindings {
  const next: ActiveBindings = {};
  for (const [pid, binding] of Object.entries(bindings)) {
    if (refersTo(binding, name, version)) continue;
    next[pid] = refersTo(binding.previous, name, version) ? { ...binding, previous: null } : binding;
  }
  return next;
}

/**
 * Removes an installed version; the caller holds the store lock. Refused while a PID is bound
 * to it, its process runs here, or another live runner service on the store runs it (2007,
 * naming the service) unless `force`. The removal is journaled, registry.json is
 * written, then the folder is moved aside and deleted (a kill in between: recovery finishes
 * the removal the journal names), then the archived zip is deleted. Logs are kept.
 * @throws ProcVisionError 2007 (active), 2009 (not installed)
 */
export async function uninstallPackage(context: StoreContext, name: string, version: string, options: UninstallOptions = {}): Promise<RegistryEntry> {
  const registry = await readRegistry(context.paths);
  const entry = findEntry(registry, name, version);
  if (entry === undefined) throw new ProcVisionError(ErrorCodes.packageNotInstalled, `${name}@${version} is not installed in ${context.paths.root}`);
  const bindings = await readActiveBindings(context.paths);
  const activePids = Object.entries(bindings)
    .filter(([, binding]) => refersTo(binding, name, version))
    .map(([pid]) => pid);
  const running = context.running.has(processKey(name, version));
  const holders = (await liveServices(context.paths)).filter((service) => service.versions.includes(processKey(name, version)));
  if ((activePids.length > 0 || running || holders.length > 0) && options.force !== true) {
    const reasons = [
      ...(activePids.length > 0 ? [`it is active for PID ${activePids.join(', ')}`] : []),
      ...(running ? ['its process is running here'] : []),
      ...holders.map((service) => `the runner service pid ${String(service.pid)} at ${service.url} runs it`),
    ];
    throw new ProcVisionError(
      ErrorCodes.unsafeUninstall,
      `cannot uninstall ${name}@${version}: ${reasons.join('; ')}; activate another version first (services stop a version within seconds of its last PID moving away), or force`,
      { details: { pids: activePids, services: holders.map((service) => ({ pid: service.pid, url: service.url })) } },
    );
  }
  const nextBindings = withoutVersion(bindings, name, version);
  if (JSON.stringify(nextBindings) !== JSON.stringify(bindings)) await writeActiveBindings(context.paths, nextBindings);
  await stopUnboundProcesses(context, nextBindings);
  const folder = deployedPath(context.paths, name, version);
  const aside = join(context.paths.deployed, `.staging-removed-${randomBytes(6).toString('hex')}`);
  await noteIntent(context.paths, { intent: 'remove', path: folder, aside, name, version });
  await writeRegistry(context.paths, { ...registry, packages: registry.packages.filter((candidate) => candidate !== entry) });
  await rename(folder, aside).catch(() => undefined);
  await rm(aside, { recursive: true, force: true });
  await rmdir(join(context.paths.deployed, name)).catch(() => undefined);
  if (!registry.packages.some((candidate) => candidate !== entry && candidate.zip_file === entry.zip_file)) {
    await rm(join(context.paths.zips, entry.zip_file), { force: true });
  }
  return entry;
}
