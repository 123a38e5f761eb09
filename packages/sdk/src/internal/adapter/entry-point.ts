import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProcVisionError } from './frame-codec.js';
import { ErrorCodes } from '@procvision/manifest/errors';

/** Where the algorithm is: package root, module path (relative to it) and export name. */
export interface EntryPoint {
  /** Absolute package root (the adapter's working directory). */
  root: string;
  /** Module path relative to the root, e.g. `dist/main.js`. */
  modulePath: string;
  /** Export name of the algorithm class. */
  exportName: string;
  /** Where the entry came from, for error messages. */
  source: string;
}

/**
 * Finds the entry as the Python adapter does: `--entry <module>:<export>`, then
 * `PROC_ENTRY_POINT`, then `entry_point` of `<root>/manifest.json`.
 *
 * @throws ProcVisionError 1003 when no entry is given or it is malformed.
 */
export function resolveEntryPoint(root: string, argv: readonly string[], environment: NodeJS.ProcessEnv = process.env): EntryPoint {
  const flag = entryFlag(argv);
  if (flag !== undefined) return splitEntry(root, flag, '--entry');
  const fromEnvironment = environment.PROC_ENTRY_POINT;
  if (fromEnvironment !== undefined && fromEnvironment !== '') return splitEntry(root, fromEnvironment, 'PROC_ENTRY_POINT');
  const manifestPath = join(root, 'manifest.json');
  let text: string;
  try {
    text = readFileSync(manifestPath, 'utf8');
  } catch {
    throw new ProcVisionError(
      ErrorCodes.modelNotFound,
      `no entry point: pass --entry <module>:<export>, set PROC_ENTRY_POINT, or put entry_point in ${manifestPath} (file not found)`,
    );
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (error) {
    throw new ProcVisionError(ErrorCodes.unknownError, `${manifestPath} is not valid JSON: ${(error as Error).message}`);
  }
  const entry = (manifest as { entry_point?: unknown } | null)?.entry_point;
  if (typeof entry !== 'string') {
    throw new ProcVisionError(ErrorCodes.modelNotFound, `${manifestPath}: entry_point is missing or not a string; expected "<module path>:<export name>"`);
  }
  return splitEntry(root, entry, `${manifestPath} entry_point`);
}

function entryFlag(argv: readonly string[]): string | undefined {
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] ?? '';
    if (argument === '--entry') return argv[index + 1];
    if (argument.startsWith('--entry=')) return argument.slice('--entry='.length);
  }
  return undefined;
}

function splitEntry(root: string, entry: string, source: string): EntryPoint {
  const colon = entry.lastIndexOf(':');
  const modulePath = colon > 0 ? entry.slice(0, colon) : '';
  const exportName = colon > 0 ? entry.slice(colon + 1) : '';
  if (modulePath === '' || exportName === '') {
    throw new ProcVisionError(
      ErrorCodes.modelNotFound,
      `entry point "${entry}" from ${source} is malformed; expected "<module path>:<export name>", e.g. "dist/main.js:ScrewDetector"`,
    );
  }
  return { root, modulePath, exportName, source };
}
