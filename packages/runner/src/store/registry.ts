import { z } from 'zod';
import { readJsonFile, writeJsonFile } from './internal/json-file.js';
import type { StorePaths } from './store-paths.js';

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

/** Reads registry.json (an empty registry when absent). */
export function readRegistry(paths: StorePaths): Promise<Registry> {
  return readJsonFile(paths.registry, registrySchema, { format_version: 1, packages: [], rejected: [] });
}

/** Writes registry.json atomically (write-temp + fsync + rename), entries sorted by name then version. */
export function writeRegistry(paths: StorePaths, registry: Registry): Promise<void> {
  const packages = [...registry.packages].sort((left, right) => left.name.localeCompare(right.name) || compareVersions(left.version, right.version));
  return writeJsonFile(paths.registry, { ...registry, packages });
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
