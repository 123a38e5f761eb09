import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ProcVisionError, ErrorCodes } from '@procvision/manifest';
import { z } from 'zod';
import { readJsonFile, readJsonFileIfExists, writeJsonFile } from './internal/json-file.js';
import { noteIntent, readJournals } from './internal/store-journal.js';
import { assertStoreLockHeld } from './store-lock.js';
import { deployedPath, type StorePaths } from './store-paths.js';

/** How a Python package is installed: its interpreter, virtual environment and SDK generation. */
const pythonInstallSchema = z.object({
  /** The store's interpreter setting at install (`python3`) and what it resolved to. */
  interpreter: z.string(),
  executable: z.string(),
  python_version: z.string(),
  implementation: z.string(),
  abi: z.string(),
  platform: z.string(),
  /** The venv, relative to the package root (`.venv`), and its interpreter the runner starts. */
  venv: z.string(),
  venv_python: z.string(),
  system_site_packages: z.boolean(),
  /** SDK generation (call shape) and the SDK wheel's version. */
  generation: z.enum(['v0.0.6', 'v0.3.2']),
  sdk_version: z.string().nullable(),
  /** The zip's project folder; its files are the package root. */
  folder: z.string(),
  /** Wheels installed from wheels/. */
  wheels: z.array(z.string()),
  /** `.procvision-files.sha256` in the package root: the sha256 of every file of the zip (the listing SIGNATURE signs). */
  files_listing: z.string(),
});

/** One installed version in registry.json. */
export const registryEntrySchema = z.object({
  /** `npm` (our zips) or `python` (the Python SDK's zips); entries written before Python support are `npm`. */
  kind: z.enum(['npm', 'python']).default('npm'),
  name: z.string().min(1),
  version: z.string().min(1),
  supported_pids: z.array(z.string()),
  /** Persisted state: `deployed` (installed); `running`/`executing` are reported live by the store. */
  state: z.enum(['deployed', 'stopped', 'failed']),
  entry_point: z.string(),
  /** The platform an npm package was built for (absent for Python packages: see `python`). */
  target: z.object({ os: z.string(), cpu: z.string(), libc: z.string().optional(), node_abi: z.string(), node_range: z.string() }).optional(),
  /** Python packages only. */
  python: pythonInstallSchema.optional(),
  signer_key_id: z.string().nullable(),
  /** sha256 of delivery.json (which hashes every other file), or of a Python zip's file listing; and of the zip. */
  delivery_sha256: z.string(),
  zip_sha256: z.string(),
  /** The archived zip's file name in `algorithms/zips/`. */
  zip_file: z.string(),
  /** Installed dependency count (npm packages; wheels for Python packages). */
  dependency_count: z.number().int().nonnegative(),
  /**
   * The package's CycloneDX SBOM, a file of its folder: `sbom.cdx.json` (carried by our zips)
   * or `.procvision-sbom.cdx.json` (derived at install from a Python zip's wheels). Absent for
   * zips made before SBOMs.
   */
  sbom_file: z.string().optional(),
  /** The SBOM's license summary: license (SPDX id, expression or name; `unknown`) -> number of packages. */
  licenses: z.record(z.string(), z.number().int().nonnegative()).optional(),
  installed_at: z.string(),
});

/** A zip that a scan found invalid (state `invalid`, reason kept) so the next scan skips it. */
const rejectedZipSchema = z.object({
  zip_file: z.string(),
  zip_sha256: z.string(),
  state: z.literal('invalid'),
  code: z.string(),
  reason: z.string(),
  rejected_at: z.string(),
});

/** registry.json: every install of the store. */
export const registrySchema = z.object({
  format_version: z.literal(1),
  /** Incremented by every write; a write whose registry was read at another generation is refused (compare-and-swap). */
  generation: z.number().int().nonnegative().default(0),
  packages: z.array(registryEntrySchema),
  rejected: z.array(rejectedZipSchema),
});

/** How a Python package is installed. */
export type PythonInstall = z.infer<typeof pythonInstallSchema>;
/** One installed version. */
export type RegistryEntry = z.infer<typeof registryEntrySchema>;
/** A zip a scan refused. */
export type RejectedZip = z.infer<typeof rejectedZipSchema>;
/** The whole registry.json. */
export type Registry = z.infer<typeof registrySchema>;

/** The install record every package folder carries (`deployed/<name>/<version>/.procvision-install.json`): its registry entry. */
export const installRecordFile = '.procvision-install.json';

/** Writes a package folder's install record. */
export async function writeInstallRecord(folder: string, entry: RegistryEntry): Promise<void> {
  await writeFile(join(folder, installRecordFile), `${JSON.stringify(entry, null, 2)}\n`, { mode: 0o644 });
}

async function listFolders(path: string): Promise<string[]> {
  try {
    return (await readdir(path, { withFileTypes: true })).filter((item) => item.isDirectory() && !item.name.startsWith('.')).map((item) => item.name);
  } catch {
    return [];
  }
}

/**
 * The registry as the deployed folders tell it (registry.json is missing): every
 * `deployed/<name>/<version>/` with its install record, except folders a killed install's
 * journal says it created. Nothing is written.
 * @throws ProcVisionError 2005 naming the folders without a readable install record (nothing is deleted)
 */
async function registryFromFolders(paths: StorePaths): Promise<Registry> {
  const pending = new Set(
    (await readJournals(paths)).flatMap((journal) =>
      journal.intents.filter((intent) => intent.intent === 'create' && intent.role === 'package').map((intent) => intent.path),
    ),
  );
  const packages: RegistryEntry[] = [];
  const unknown: string[] = [];
  for (const name of await listFolders(paths.deployed)) {
    for (const version of await listFolders(join(paths.deployed, name))) {
      if (pending.has(join('algorithms', 'deployed', name, version))) continue;
      try {
        const entry = registryEntrySchema.parse(JSON.parse(await readFile(join(deployedPath(paths, name, version), installRecordFile), 'utf8')));
        if (entry.name !== name || entry.version !== version) throw new Error('names another version');
        packages.push(entry);
      } catch {
        unknown.push(`<store>/algorithms/deployed/${name}/${version}`);
      }
    }
  }
  if (unknown.length > 0) {
    throw new ProcVisionError(
      ErrorCodes.installFailed,
      `registry.json is missing from the store and ${unknown.join(', ')} carry no readable install record, so the registry cannot be rebuilt; restore <store>/registry.json from a backup (nothing was deleted)`,
      { details: { folders: unknown } },
    );
  }
  return { format_version: 1, generation: 0, packages, rejected: [] };
}

/**
 * Reads registry.json. When it is missing, the registry is rebuilt in memory from the
 * deployed folders' install records (an empty store has none); a mutating operation then
 * writes it back. Never read as empty while folders exist.
 * @throws ProcVisionError 2005 for an unreadable or invalid registry.json, or a missing one that cannot be rebuilt
 */
export async function readRegistry(paths: StorePaths): Promise<Registry> {
  return (await readJsonFileIfExists(paths.registry, registrySchema)) ?? registryFromFolders(paths);
}

/**
 * Writes registry.json atomically (write-temp + fsync + rename), entries sorted by name then
 * version, at the next generation. The caller must hold the store lock, and `registry` must
 * be the generation on disk: a process that lost the lock, or read the registry before
 * another process wrote it, fails without writing.
 * @throws ProcVisionError 2005 when the lock is not held or the generation moved on
 */
export async function writeRegistry(paths: StorePaths, registry: Registry): Promise<void> {
  await noteIntent(paths, { intent: 'write', path: paths.registry });
  await assertStoreLockHeld(paths);
  const onDisk = await readJsonFile(paths.registry, registrySchema, { format_version: 1, generation: 0, packages: [], rejected: [] });
  if (onDisk.generation !== registry.generation) {
    throw new ProcVisionError(
      ErrorCodes.installFailed,
      `registry.json changed under this operation (read at generation ${String(registry.generation)}, now ${String(onDisk.generation)}); nothing was written, run the operation again`,
    );
  }
  const packages = [...registry.packages].sort((left, right) => left.name.localeCompare(right.name) || compareVersions(left.version, right.version));
  await writeJsonFile(paths.registry, { ...registry, generation: registry.generation + 1, packages });
}

/** The registry entry of `name@version`, if installed. */
export function findEntry(registry: Registry, name: string, version: string): RegistryEntry | undefined {
  return registry.packages.find((entry) => entry.name === name && entry.version === version);
}

/** Orders semver-like versions (`1.10.0` after `1.9.0`; a pre-release before its release). */
export function compareVersions(left: string, right: string): number {
  const split = (version: string): [number[], string] => {
    const [core = '', pre = ''] = version.split(/-(.*)/s);
    return [core.split('.').map((part) => Number.parseInt(part, 10) || 0), pre];
  };
  const [leftCore, leftPre] = split(left);
  const [rightCore, rightPre] = split(right);
  for (let index = 0; index < Math.max(leftCore.length, rightCore.length); index += 1) {
    const difference = (leftCore[index] ?? 0) - (rightCore[index] ?? 0);
    if (difference !== 0) return difference;
  }
  if (leftPre === rightPre) return 0;
  if (leftPre === '') return 1;
  if (rightPre === '') return -1;
  return leftPre.localeCompare(rightPre);
}
