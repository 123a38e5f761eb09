import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContractError, parseManifest, ProcVisionError, ErrorCodes } from '@procvision/manifest';
import { isPythonAdapterCommand } from './python-adapter-launch.js';
import { readPythonManifest } from './python-manifest.js';
import type { AdapterCommand } from './spawn-adapter.js';

/** One algorithm package the runner should run. */
export interface PackageSpec {
  /** The package root (holds manifest.json; the adapter's working directory). */
  root: string;
  /** Package name; read from `<root>/manifest.json` when absent. */
  name?: string;
  /** Package version; read from `<root>/manifest.json` when absent. */
  version?: string;
  /** The adapter command; default {@link nodeAdapterCommand} of the package's vendored SDK. */
  adapter?: AdapterCommand;
  /** Extra environment of the child (e.g. `PROC_ENTRY_POINT`, `PYTHONPATH`). */
  env?: Record<string, string>;
  /** Adapter processes of the package's pool (default 1): steps of different sessions run in parallel on them. */
  instances?: number;
  /** Resident memory (MiB) each process may hold; over it the call fails with 1012 and the process restarts. Absent: no limit. */
  memoryLimitMb?: number;
}

/** A package spec with name, version and adapter resolved. */
export interface ResolvedPackageSpec {
  root: string;
  name: string;
  version: string;
  adapter: AdapterCommand;
  env: Record<string, string>;
  memoryLimitMb?: number;
}

/**
 * The adapter of a TypeScript package: `node <root>/node_modules/@procvision/sdk/dist/adapter-bin.js`
 * (a delivered package carries its SDK; the platform installs nothing for it).
 */
export function nodeAdapterCommand(root: string): AdapterCommand {
  return { command: process.execPath, args: [join(root, 'node_modules', '@procvision', 'sdk', 'dist', 'adapter-bin.js')] };
}

/**
 * Fills name and version from `<root>/manifest.json` when the spec lacks them (a Python SDK
 * adapter's manifest is read as the Python SDK reads it, see {@link readPythonManifest}).
 * @throws ProcVisionError 2002 when manifest.json is missing, ContractError when it is invalid
 */
export function resolvePackageSpec(spec: PackageSpec): ResolvedPackageSpec {
  let { name, version } = spec;
  if ((name === undefined || version === undefined) && isPythonAdapterCommand(spec.adapter)) {
    const manifest = readPythonManifest(spec.root);
    name ??= manifest.name;
    version ??= manifest.version;
  }
  if (name === undefined || version === undefined) {
    const path = join(spec.root, 'manifest.json');
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new ProcVisionError(ErrorCodes.manifestMissing, `no manifest.json at ${path}: give the package root, or name and version`, {
        cause: error,
        details: { path },
      });
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new ContractError(ErrorCodes.unknownError, `${path}: not valid JSON (${(error as Error).message})`, [{ path: '', message: 'invalid JSON' }]);
    }
    const { manifest } = parseManifest(value, { source: path });
    name ??= manifest.name;
    version ??= manifest.version;
  }
  return {
    root: spec.root,
    name,
    version,
    adapter: spec.adapter ?? nodeAdapterCommand(spec.root),
    env: spec.env ?? {},
    ...(spec.memoryLimitMb === undefined ? {} : { memoryLimitMb: spec.memoryLimitMb }),
  };
}
