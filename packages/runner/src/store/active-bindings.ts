import { z } from 'zod';
import { readJsonFile, writeJsonFile } from './internal/json-file.js';
import { noteIntent } from './internal/store-journal.js';
import { assertStoreLockHeld } from './store-lock.js';
import type { StorePaths } from './store-paths.js';

/** A package version, as a binding refers to it. */
const packageRefSchema = z.object({ name: z.string().min(1), version: z.string().min(1) });

/** What one PID runs: the active version and the one it replaced (for rollback). */
export const activeBindingSchema = packageRefSchema.extend({
  activated_at: z.string(),
  previous: packageRefSchema.nullable(),
});

/** active.json: pid -> binding. */
export const activeBindingsSchema = z.record(z.string(), activeBindingSchema);

/** `{name, version}` of an installed package. */
export type PackageRef = z.infer<typeof packageRefSchema>;
/** One PID's binding. */
export type ActiveBinding = z.infer<typeof activeBindingSchema>;
/** The whole active.json. */
export type ActiveBindings = z.infer<typeof activeBindingsSchema>;

/** Reads active.json (no bindings when absent). */
export function readActiveBindings(paths: StorePaths): Promise<ActiveBindings> {
  return readJsonFile(paths.active, activeBindingsSchema, {});
}

/**
 * Writes active.json atomically (write-temp + fsync + rename), PIDs sorted; the caller must hold the store lock.
 * @throws ProcVisionError 2005 when this process no longer holds the store lock (nothing is written)
 */
export async function writeActiveBindings(paths: StorePaths, bindings: ActiveBindings): Promise<void> {
  await noteIntent(paths, { intent: 'write', path: paths.active });
  await assertStoreLockHeld(paths);
  await writeJsonFile(paths.active, Object.fromEntries(Object.entries(bindings).sort(([left], [right]) => left.localeCompare(right))));
}

/** Whether a binding (or its `previous`) refers to `name@version`. */
export function refersTo(ref: PackageRef | null, name: string, version: string): boolean {
  return ref !== null && ref.name === name && ref.version === version;
}
