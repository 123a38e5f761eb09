import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ContractError, type Manifest, parseEntryPoint, parseManifest, ErrorCodes } from '@procvision/manifest';
import { UsageError } from '../usage-error.js';

/** A project folder with its parsed manifest. */
export interface LoadedProject {
  /** Absolute project folder. */
  root: string;
  /** Absolute path of the manifest read. */
  manifestPath: string;
  manifest: Manifest;
  /** Warnings of `parseManifest` (legacy version, many PIDs ...). */
  warnings: string[];
  /** The entry module path (relative to the root) and export name. */
  entry: { modulePath: string; exportName: string };
}

/** Finds `<project>/manifest.json` (or `manifestPath`); a missing folder or file is a usage error. */
export function locateManifest(project: string, command: string, manifestPath?: string): { root: string; path: string } {
  const root = resolve(project);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new UsageError(`project folder ${root} does not exist; pass the folder that holds manifest.json.`, { example: `procvision ${command} ./my-algo` });
  }
  const path = manifestPath === undefined ? join(root, 'manifest.json') : resolve(manifestPath);
  if (!existsSync(path)) {
    throw new UsageError(`no manifest.json at ${path}: not an algorithm project. Create one with \`procvision init\` or pass the project folder.`, {
      code: ErrorCodes.manifestMissing,
      example: `procvision ${command} ./my-algo`,
    });
  }
  return { root, path };
}

/** Reads a JSON file: `{ok: true, value}` or `{ok: false, message}` naming the file and the syntax error. */
export async function readJsonFile(path: string): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
  const text = await readFile(path, 'utf8');
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: `${path} is not valid JSON: ${(error as Error).message}` };
  }
}

/** Loads a project for `run` and `package`: manifest read and checked, or a usage error naming the bad fields. */
export async function loadProject(project: string, command: string, manifestPath?: string): Promise<LoadedProject> {
  const { root, path } = locateManifest(project, command, manifestPath);
  const json = await readJsonFile(path);
  if (!json.ok) throw new UsageError(`${json.message}. Fix the file and try again.`, { example: `procvision validate ${project}` });
  const value = json.value;
  try {
    const { manifest, warnings } = parseManifest(value, { source: path });
    const entry = parseEntryPoint(manifest.entry_point);
    return { root, manifestPath: path, manifest, warnings, entry: { modulePath: entry.modulePath, exportName: entry.exportName } };
  } catch (error) {
    if (!ContractError.isInstance(error)) throw error;
    throw new UsageError(`${error.message}. Fix manifest.json (\`procvision validate ${project}\` shows every check).`, {
      example: `procvision validate ${project}`,
    });
  }
}
