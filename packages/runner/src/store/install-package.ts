import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, rmdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ProcVisionError } from '@procvision/manifest';
import { assertTargetCompatible, extractDeliveryZip, type ExtractedDelivery, type KeyInput } from '@procvision/packager';
import { archiveZip, type ArchivedZip } from './archive-zip.js';
import { crashPoint, crashWhileExtracting, crashWhileInstalling } from './internal/crash-point.js';
import { sha256File } from './internal/file-hash.js';
import { checkInstalledSet } from './installed-set-check.js';
import { installOffline } from './npm-offline-install.js';
import { findEntry, readRegistry, type RegistryEntry, writeRegistry } from './registry.js';
import { smokeLoadEntryPoint } from './smoke-load.js';
import { deployedPath, type StorePaths } from './store-paths.js';

/** Options of {@link installPackage}. */
export interface InstallOptions {
  /** ed25519 public keys a SIGNATURE may be made with. */
  trustedKeys?: readonly KeyInput[];
  /** Refuse unsigned zips (2008). */
  requireSignature?: boolean;
  /** npm-cli.js to run (default: the one next to the node binary). */
  npmCli?: string;
  /** Timeout of the entry point's smoke-load (default 30000 ms). */
  smokeLoadTimeoutMs?: number;
}

function asInstallError(error: unknown, zipPath: string): ProcVisionError {
  if (ProcVisionError.isInstance(error)) return error;
  return new ProcVisionError('2005', `installing ${zipPath} failed: ${(error as Error).message}`, { cause: error });
}

/**
 * Installs a delivery zip (docs/spec/delivery.md "Offline install" steps 2-7); the caller holds the store
 * lock. Verify + extract into `deployed/.staging-<random>/`, target check (2003), private npm
 * cache + `npm ci --offline`, installed-set check (2004), entry smoke-load, atomic rename to
 * `deployed/<name>/<version>/`, original zip archived, registry.json written atomically.
 * Any failure undoes every step, so the store is as before; the error keeps its code (2005
 * when it had none).
 */
export async function installPackage(paths: StorePaths, zipPath: string, options: InstallOptions = {}): Promise<RegistryEntry> {
  const zip = resolve(zipPath);
  const zipSha256 = await sha256File(zip).catch((error: unknown) => {
    throw new ProcVisionError('2001', `cannot read the zip ${zip}: ${(error as Error).message}`, { cause: error });
  });
  const stagingName = `.staging-${randomBytes(8).toString('hex')}`;
  const stagingDir = join(paths.deployed, stagingName);
  const cacheDir = `${stagingDir}-npm-cache`;
  const stopCrashWatch = crashWhileExtracting(stagingDir);
  let extracted: ExtractedDelivery;
  try {
    extracted = await extractDeliveryZip(zip, paths.deployed, { stagingName, ...(options.trustedKeys ? { trustedKeys: options.trustedKeys } : {}), requireSignature: options.requireSignature === true });
  } finally {
    stopCrashWatch();
  }
  crashPoint('extracting');
  const { manifest, delivery } = extracted;
  const finalDir = deployedPath(paths, manifest.name, manifest.version);
  let renamed = false;
  let archived: ArchivedZip | undefined;
  let createdNameDir = false;
  try {
    assertTargetCompatible(extracted.target);
    const registry = await readRegistry(paths);
    if (findEntry(registry, manifest.name, manifest.version) !== undefined) {
      throw new ProcVisionError('2005', `${manifest.name}@${manifest.version} is already installed in ${paths.root}; uninstall it first to reinstall`);
    }
    if (delivery.name !== manifest.name || delivery.version !== manifest.version) {
      throw new ProcVisionError('2001', `${zip}: delivery.json names ${delivery.name}@${delivery.version} but manifest.json ${manifest.name}@${manifest.version}`);
    }
    await installOffline(stagingDir, { cacheDir, ...(options.npmCli ? { npmCli: options.npmCli } : {}), onNpmCiSpawn: (child) => crashWhileInstalling(child.pid) });
    await rm(cacheDir, { recursive: true, force: true });
    await checkInstalledSet(stagingDir, delivery);
    await smokeLoadEntryPoint(stagingDir, manifest.entry_point, options.smokeLoadTimeoutMs);
    crashPoint('before-rename');
    createdNameDir = (await mkdir(join(paths.deployed, manifest.name), { recursive: true })) !== undefined;
    await rename(stagingDir, finalDir).catch((error: unknown) => {
      throw new ProcVisionError('2005', `cannot move the staged package to ${finalDir}: ${(error as Error).message}`, { cause: error });
    });
    renamed = true;
    archived = await archiveZip(paths, zip, zipSha256);
    const entry: RegistryEntry = {
      name: manifest.name,
      version: manifest.version,
      supported_pids: [...manifest.supported_pids],
      state: 'deployed',
      entry_point: manifest.entry_point,
      target: extracted.target,
      signer_key_id: extracted.signerKeyId,
      delivery_sha256: extracted.deliverySha256,
      zip_sha256: zipSha256,
      zip_file: archived.fileName,
      dependency_count: delivery.dependencies.length,
      installed_at: new Date().toISOString(),
    };
    crashPoint('before-registry-write');
    await writeRegistry(paths, { ...registry, packages: [...registry.packages, entry], rejected: registry.rejected.filter((rejected) => rejected.zip_file !== archived?.fileName) });
    return entry;
  } catch (error) {
    await rm(renamed ? finalDir : stagingDir, { recursive: true, force: true });
    await rm(cacheDir, { recursive: true, force: true });
    if (archived?.created === true) await rm(join(paths.zips, archived.fileName), { force: true });
    if (createdNameDir) await rmdir(join(paths.deployed, manifest.name)).catch(() => undefined);
    throw asInstallError(error, zip);
  }
}
