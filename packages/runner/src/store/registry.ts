import { z } from 'zod';
import { readJsonFile, writeJsonFile } from './internal/json-file.js';
import type { StorePaths } from './store-paths.js';

/** One installed version in registry.json. */
export const registryEntrySchema = z.object({
  name: z.string().min(1),
  version: z.string().min(1),
  supported_pids: z.array(z.string()),
  /** Persisted state: `deployed` (installed); `running`/`executing` are reported live by the store. */
  state: z.enum(['deployed', 'stopped', 'failed']),
  entry_point: z.string(),
  target: z.object({ os: z.string(), cpu: z.string(), libc: z.string().optional(), node_abi: z.string(), node_range: z.string() }),
  signer_key_id: z.string().nullable(),
  /** sha256 of delivery.json (which hashes every other file) and of the zip. */
  delivery_sha256: z.string(),
  zip_sha256: z.string(),
  /** The archived zip's file name in `algorithms/zips/`. */
  zip_file: z.string(),
  /** Installed dependency count. */
  dependency_count: z.number().int().nonnegative(),
  installed_at: z.string(),
});

/** A zip that a scan found invalid (state `invalid`, reason kept) so the next scan skips it. */
export const rejectedZipSchema = z.object({
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
