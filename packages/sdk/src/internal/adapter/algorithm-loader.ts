import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ProcVisionError, ErrorCodes } from '@procvision/manifest/errors';

/** The methods the adapter needs, whatever copy of the SDK the algorithm extends. */
export interface LoadedAlgorithm {
  getInfo(): unknown;
  preExecute(...args: unknown[]): unknown;
  execute(...args: unknown[]): unknown;
  setup?(): unknown;
  teardown?(): unknown;
  onStepStart?(...args: unknown[]): unknown;
  onStepFinish?(...args: unknown[]): unknown;
  reset?(session: unknown): unknown;
  /** BaseAlgorithm's `this.diagnostics` (a class without it publishes nothing). */
  diagnostics?: { get(): Record<string, unknown> };
}

const requiredMethods = ['getInfo', 'preExecute', 'execute'] as const;

/**
 * Imports `<root>/<modulePath>`, takes `exportName` and constructs it.
 *
 * @throws ProcVisionError 1003 when the module or the export is missing, 9999 when the module
 * fails to load, the export is not a class, the constructor throws or methods are missing.
 */
export async function loadAlgorithm(root: string, modulePath: string, exportName: string): Promise<LoadedAlgorithm> {
  const file = resolve(root, modulePath);
  if (!existsSync(file)) {
    throw new ProcVisionError(ErrorCodes.modelNotFound, `entry module ${modulePath} not found in ${root} (looked for ${file}); build the package first`);
  }
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new ProcVisionError(ErrorCodes.unknownError, `entry module ${modulePath} failed to load: ${describe(error)}`, { cause: error });
  }
  if (!(exportName in namespace)) {
    const available = Object.keys(namespace).join(', ') || 'none';
    throw new ProcVisionError(ErrorCodes.modelNotFound, `entry module ${modulePath} has no export named "${exportName}" (exports: ${available})`);
  }
  const exported = namespace[exportName];
  if (typeof exported !== 'function') {
    throw new ProcVisionError(
      ErrorCodes.unknownError,
      `export "${exportName}" of ${modulePath} is a ${typeof exported}, expected a class extending BaseAlgorithm`,
    );
  }
  let instance: unknown;
  try {
    instance = new (exported as new () => unknown)();
  } catch (error) {
    throw new ProcVisionError(ErrorCodes.unknownError, `constructing ${exportName} failed: ${describe(error)}`, { cause: error });
  }
  const missing = requiredMethods.filter((method) => typeof (instance as Record<string, unknown>)[method] !== 'function');
  if (missing.length > 0) {
    throw new ProcVisionError(ErrorCodes.unknownError, `${exportName} does not implement ${missing.join(', ')}; extend BaseAlgorithm from @procvision/sdk`);
  }
  return instance as LoadedAlgorithm;
}

/** `Name: message` of any thrown value. */
export function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
