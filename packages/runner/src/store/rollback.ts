import { ProcVisionError, ErrorCodes } from '@procvision/manifest';
import { type ActiveBindings, readActiveBindings } from './active-bindings.js';
import { activatePackage } from './activate.js';
import type { StoreContext } from './internal/store-context.js';

/**
 * Returns a PID to the version it ran before (its binding's `previous`), as a switch: the
 * previous version's process is started before the pointer flips; the new binding's `previous`
 * is the version rolled back from. The caller holds the store lock.
 * @throws ProcVisionError 2006 when the PID is not bound to `name` or has no previous version
 */
export async function rollbackPid(context: StoreContext, name: string, pid: string): Promise<ActiveBindings> {
  const bound = (await readActiveBindings(context.paths))[pid];
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
  return activatePackage(context, bound.previous.name, bound.previous.version, [pid], 'switch');
}
