import { mkdir, rename, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ProcVisionError } from '@procvision/manifest';
import { archiveZip, type ArchivedZip } from './archive-zip.js';
import type { InstallStageListener } from './install-stage.js';
import { type Registry, type RegistryEntry, writeRegistry } from './registry.js';
import { deployedPath, type StorePaths } from './store-paths.js';

/** A fully staged package, ready to be moved into `deployed/` and registered. */
interface StagedPackage {
  stagingDir: string;
  name: string;
  version: string;
  zip: string;
  zipSha256: string;
  /** The registry read under the lock at the start of the install. */
  registry: Registry;
  /** The entry to register, given the archived zip's file name. */
  entry: (zipFile: string) => RegistryEntry;
}

/**
 * The last steps of every install (docs/spec/delivery.md "Offline install" step 7): rename the staging
 * folder to `deployed/<name>/<version>/`, archive the zip, write registry.json atomically.
 * A failure undoes what these steps did (the caller removes the staging folder).
 */
export async function commitStagedPackage(paths: StorePaths, staged: StagedPackage, onStage: InstallStageListener | undefined): Promise<RegistryEntry> {
  const finalDir = deployedPath(paths, staged.name, staged.version);
  let renamed = false;
  let archived: ArchivedZip | undefined;
  let createdNameDir = false;
  try {
    onStage?.({ stage: 'before-rename', stagingDir: staged.stagingDir });
    createdNameDir = (await mkdir(join(paths.deployed, staged.name), { recursive: true })) !== undefined;
    await rename(staged.stagingDir, finalDir).catch((error: unknown) => {
      throw new ProcVisionError('2005', `cannot move the staged package to ${finalDir}: ${(error as Error).message}`, { cause: error });
    });
    renamed = true;
    archived = await archiveZip(paths, staged.zip, staged.zipSha256);
    const entry = staged.entry(archived.fileName);
    onStage?.({ stage: 'before-registry-write', packageDir: finalDir });
    const { registry } = staged;
    await writeRegistry(paths, {
      ...registry,
      packages: [...registry.packages, entry],
      rejected: registry.rejected.filter((rejected) => rejected.zip_file !== archived?.fileName),
    });
    return entry;
  } catch (error) {
    if (renamed) await rm(finalDir, { recursive: true, force: true });
    if (archived?.created === true) await rm(join(paths.zips, archived.fileName), { force: true });
    if (createdNameDir) await rmdir(join(paths.deployed, staged.name)).catch(() => undefined);
    throw error;
  }
}
