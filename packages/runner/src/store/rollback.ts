import { ErrorCodes, ProcVisionError } from '@procvision/manifest';
import { type ActiveBindings, readActiveBindings } from './active-bindings.js';
import { commitBindings } from './activate.js';
import type { StoreContext } from './internal/store-context.js';

/**
 * Returns PIDs to the version each ran before (its binding's `previous`), as one switch: every
 * previous version's process is started before the pointer flips, and active.json is written
 * once for all PIDs (all flip or none). Each new binding's `previous` is the version rolled back
 * from. The caller holds the store lock.
 * @throws ProcVisionError 2006 when a PID is not bound to `name` or has no previous version
 */
export async function rollbackPids(context: StoreContext, name: string, pids: readonly string[]): Promise<ActiveBindings> {
  const bindings = await readActiveBindings(context.paths);
  if (pids.length === 0) throw new ProcVisionError(ErrorCodes.activationConflict, `rollback ${name}: give at least one PID`);
  const next: ActiveBindings = { ...bindings };
  const activatedAt = new Date().toISOString();
  for (const pid of pids) {
    const bound = bindings[pid];
    if (bound?.name !== name) {
      const actual = bound === undefined ? 'no package' : `${bound.name}@${bound.version}`;
      throw new ProcVisionError(ErrorCodes.activationConflict, `cannot roll back ${name} for PID ${pid}: the PID runs ${actual}`, { details: { pid } });
    }
    if (bound.previous === null)
      throw new ProcVisionError(
        ErrorCodes.activationConflict,
        `PID ${pid} has no previous version to roll back to (it runs ${bound.name}@${bound.version}, its first activation)`,
        {
          details: { pid },
        },
      );
    next[pid] = {
      name: bound.previous.name,
      version: bound.previous.version,
      activated_at: activatedAt,
      previous: { name: bound.name, version: bound.version },
    };
  }
  return commitBindings(context, bindings, next);
}
