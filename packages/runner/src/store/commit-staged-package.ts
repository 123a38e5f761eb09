import { mkdir, rename, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ProcVisionError, ErrorCodes } from '@procvision/manifest';
import { deliveryZipName, type PlatformTarget } from '@procvision/packager';
import { archiveZip, type ArchivedZip } from './archive-zip.js';
import type { InstallStageListener } from './install-stage.js';
import { noteIntent } from './internal/store-journal.js';
import { findEntry, readRegistry, type Registry, type RegistryEntry, writeInstallRecord, writeRegistry } from './registry.js';
import { deployedPath, type StorePaths } from './store-paths.js';

/** What a package's manifest gives its registry entry, whichever SDK made it. */
export interface StagedManifest {
  name: string;
  version: string;
  entry_point: string;
  supported_pids?: readonly string[] | undefined;
}

/** What an installer staged: a folder ready to be moved into `deployed/` and registered. */
export interface StagedPackage {
  stagingDir: string;
  /** The registry as {@link readRegistryForInstall} read it under the lock at the start of the install. */
  registry: Registry;
  manifest: StagedManifest;
  /** The entry's fields of its kind (npm: `target`; Python: `python`) and its hashes. */
  entry: Pick<RegistryEntry, 'kind' | 'target' | 'python' | 'signer_key_id' | 'delivery_sha256' | 'dependency_count' | 'sbom_file' | 'licenses'>;
}

/**
 * The file name a zip is archived under: `{fileName}` as given (a name a client sent with its
 * upload), or `{deliveryName: true}` for `<name>-v<version>-<target>-offline.zip` (a temporary
 * copy such as an upload, whose own name means nothing).
 */
export type ZipArchiveName = { fileName: string } | { deliveryName: true };

/** The zip being installed, archived by {@link commitStagedPackage}. */
interface InstalledZip {
  /** Default: under its own file name. */
  archive?: ZipArchiveName;
  path: string;
  sha256: string;
}

/** The delivery name of a staged package (`<name>-v<version>-<os>-<cpu>[-<libc>]-offline.zip`; Python: `<name>-v<version>-offline.zip`). */
function archiveFileName(staged: StagedPackage, archive: ZipArchiveName | undefined): string | undefined {
  if (archive === undefined) return undefined;
  if ('fileName' in archive) return archive.fileName;
  const { name, version } = staged.manifest;
  const target = staged.entry.target;
  if (target === undefined) return `${name.replace(/^@/, '').replace(/\//g, '-')}-v${version}-offline.zip`;
  return deliveryZipName(name, version, { os: target.os, cpu: target.cpu, ...(target.libc === undefined ? {} : { libc: target.libc }) } as PlatformTarget);
}

/**
 * The first step of every install once the zip is verified: reads registry.json and refuses
 * (2010) a name and version that is installed already.
 */
export async function readRegistryForInstall(paths: StorePaths, name: string, version: string): Promise<Registry> {
  const registry = await readRegistry(paths);
  if (findEntry(registry, name, version) !== undefined) {
    throw new ProcVisionError(ErrorCodes.alreadyInstalled, `${name}@${version} is already installed in ${paths.root}; uninstall it first to reinstall`);
  }
  return registry;
}

/**
 * The last steps of every install (docs/spec/delivery.md "Offline install" step 7): archive the zip,
 * write the install record into the staged folder, rename it to `deployed/<name>/<version>/`,
 * write registry.json atomically (compare-and-swap on its generation); each step journaled first.
 * A failure undoes what these steps did (the caller removes the staging folder).
 */
export async function commitStagedPackage(
  paths: StorePaths,
  staged: StagedPackage,
  zip: InstalledZip,
  onStage: InstallStageListener | undefined,
): Promise<RegistryEntry> {
  const { manifest, registry } = staged;
  const finalDir = deployedPath(paths, manifest.name, manifest.version);
  let renamed = false;
  let archived: ArchivedZip | undefined;
  let createdNameDir = false;
  try {
    archived = await archiveZip(paths, zip.path, zip.sha256, archiveFileName(staged, zip.archive));
    const entry: RegistryEntry = {
      ...staged.entry,
      name: manifest.name,
      version: manifest.version,
      supported_pids: [...(manifest.supported_pids ?? [])],
      state: 'deployed',
      entry_point: manifest.entry_point,
      zip_sha256: zip.sha256,
      zip_file: archived.fileName,
      installed_at: new Date().toISOString(),
    };
    await writeInstallRecord(staged.stagingDir, entry);
    onStage?.({ stage: 'before-rename', stagingDir: staged.stagingDir });
    await noteIntent(paths, { intent: 'create', path: join(paths.deployed, manifest.name), role: 'name-folder' });
    createdNameDir = (await mkdir(join(paths.deployed, manifest.name), { recursive: true })) !== undefined;
    await noteIntent(paths, { intent: 'create', path: finalDir, role: 'package', name: manifest.name, version: manifest.version });
    await rename(staged.stagingDir, finalDir).catch((error: unknown) => {
      throw new ProcVisionError(ErrorCodes.installFailed, `cannot move the staged package to ${finalDir}: ${(error as Error).message}`, { cause: error });
    });
    renamed = true;
    onStage?.({ stage: 'before-registry-write', packageDir: finalDir });
    await writeRegistry(paths, {
      ...registry,
      packages: [...registry.packages, entry],
      rejected: registry.rejected.filter((rejected) => rejected.zip_file !== archived?.fileName),
    });
    return entry;
  } catch (error) {
    if (renamed) await rm(finalDir, { recursive: true, force: true });
    if (archived?.created === true) await rm(join(paths.zips, archived.fileName), { force: true });
    if (createdNameDir) await rmdir(join(paths.deployed, manifest.name)).catch(() => undefined);
    throw error;
  }
}
