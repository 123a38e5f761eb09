import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ProcVisionError, ErrorCodes } from '@procvision/manifest';
import { sha256File } from './internal/file-hash.js';
import { readRegistry, type RegistryEntry, writeRegistry } from './registry.js';
import type { StorePaths } from './store-paths.js';

/** What a scan did with one zip of `algorithms/zips/`. */
export type ScanOutcome =
  { zipFile: string; outcome: 'installed'; entry: RegistryEntry } | { zipFile: string; outcome: 'invalid'; code: string; reason: string };

/**
 * Installs every zip dropped into `algorithms/zips/` that is neither registered nor already
 * rejected with the same bytes; the caller holds the store lock. A zip that fails is recorded
 * in registry.json's `rejected` list (state `invalid`, code and reason kept) and left in place.
 */
export async function scanZips(paths: StorePaths, install: (zipPath: string) => Promise<RegistryEntry>): Promise<ScanOutcome[]> {
  const outcomes: ScanOutcome[] = [];
  const files = (await readdir(paths.zips)).filter((file) => file.endsWith('.zip') && !file.startsWith('.')).sort();
  for (const zipFile of files) {
    const registry = await readRegistry(paths);
    if (registry.packages.some((entry) => entry.zip_file === zipFile)) continue;
    const zipPath = join(paths.zips, zipFile);
    const zipSha256 = await sha256File(zipPath);
    if (registry.rejected.some((rejected) => rejected.zip_file === zipFile && rejected.zip_sha256 === zipSha256)) continue;
    try {
      outcomes.push({ zipFile, outcome: 'installed', entry: await install(zipPath) });
    } catch (error) {
      const code = ProcVisionError.isInstance(error) ? error.code : ErrorCodes.installFailed;
      // Reasons are shown to callers (GET /packages, /scan): the store's own path as `<store>`.
      const reason = (error as Error).message.split(paths.root).join('<store>');
      const latest = await readRegistry(paths);
      const rejected = [
        ...latest.rejected.filter((candidate) => candidate.zip_file !== zipFile),
        { zip_file: zipFile, zip_sha256: zipSha256, state: 'invalid' as const, code, reason, rejected_at: new Date().toISOString() },
      ];
      await writeRegistry(paths, { ...latest, rejected });
      outcomes.push({ zipFile, outcome: 'invalid', code, reason });
    }
  }
  return outcomes;
}
