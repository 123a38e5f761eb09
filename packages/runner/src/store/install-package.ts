import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ProcVisionError, ErrorCodes } from '@procvision/manifest';
import { assertTargetCompatible, deliveryZipKind, extractDeliveryZip, type ExtractedDelivery, type KeyInput } from '@procvision/packager';
import { commitStagedPackage, readRegistryForInstall, type StagedPackage, type ZipArchiveName } from './commit-staged-package.js';
import { sha256File } from './internal/file-hash.js';
import { noteIntent } from './internal/store-journal.js';
import { checkInstalledSet } from './installed-set-check.js';
import { stagePythonPackage, type PythonStoreSettings } from './install-python-package.js';
import type { InstallStageListener } from './install-stage.js';
import { installOffline } from './npm-offline-install.js';
import type { RegistryEntry } from './registry.js';
import { smokeLoadEntryPoint } from './smoke-load.js';
import type { StorePaths } from './store-paths.js';

/** Options of {@link installPackage}. */
interface InstallOptions {
  /** ed25519 public keys a SIGNATURE may be made with. */
  trustedKeys?: readonly KeyInput[];
  /** Refuse unsigned zips (2008). */
  requireSignature?: boolean;
  /** npm-cli.js to run (default: the one next to the node binary). */
  npmCli?: string;
  /** Timeout of the entry point's smoke-load (default 30000 ms). */
  smokeLoadTimeoutMs?: number;
  /** The store's Python settings (Python zips). */
  python?: PythonStoreSettings;
  /** Observes the install's stages. */
  onStage?: InstallStageListener;
  /** How the zip is archived in `algorithms/zips/` (default: under its own file name). */
  archive?: ZipArchiveName;
}

function asInstallError(error: unknown, zipPath: string): ProcVisionError {
  if (ProcVisionError.isInstance(error)) return error;
  return new ProcVisionError(ErrorCodes.installFailed, `installing ${zipPath} failed: ${(error as Error).message}`, { cause: error });
}

/**
 * Installs a delivery zip, ours or the Python SDK's (docs/spec/delivery.md "Offline install"); the caller
 * holds the store lock. Each kind stages the package in `deployed/.staging-<random>/`, then
 * {@link commitStagedPackage} moves it into place. Any failure undoes every step (the staging
 * folder is removed here), so the store is as before; the error keeps its code (2005 when it
 * had none).
 */
export async function installPackage(paths: StorePaths, zipPath: string, options: InstallOptions = {}): Promise<RegistryEntry> {
  const zip = resolve(zipPath);
  const zipSha256 = await sha256File(zip).catch((error: unknown) => {
    throw new ProcVisionError(ErrorCodes.invalidZip, `cannot read the zip ${zip}: ${(error as Error).message}`, { cause: error });
  });
  const stagingName = `.staging-${randomBytes(8).toString('hex')}`;
  const stagingDir = join(paths.deployed, stagingName);
  await noteIntent(paths, { intent: 'create', path: stagingDir, role: 'staging' });
  await noteIntent(paths, { intent: 'create', path: `${stagingDir}-npm-cache`, role: 'staging' });
  try {
    const python = (await deliveryZipKind(zip)) === 'python';
    const staged = python ? await stagePythonPackage(paths, zip, stagingName, options) : await stageNpmPackage(paths, zip, stagingName, options);
    return await commitStagedPackage(
      paths,
      staged,
      { path: zip, sha256: zipSha256, ...(options.archive === undefined ? {} : { archive: options.archive }) },
      options.onStage,
    );
  } catch (error) {
    await rm(stagingDir, { recursive: true, force: true });
    throw asInstallError(error, zip);
  }
}

/**
 * Our zips (steps 2-6): verify + extract into `deployed/.staging-<random>/`, target check
 * (2003), private npm cache (removed when staging ends) + `npm ci --offline`, installed-set
 * check (2004), entry smoke-load.
 */
async function stageNpmPackage(paths: StorePaths, zip: string, stagingName: string, options: InstallOptions): Promise<StagedPackage> {
  const stagingDir = join(paths.deployed, stagingName);
  const cacheDir = `${stagingDir}-npm-cache`;
  options.onStage?.({ stage: 'extracting', stagingDir });
  const extracted: ExtractedDelivery = await extractDeliveryZip(zip, paths.deployed, {
    stagingName,
    ...(options.trustedKeys ? { trustedKeys: options.trustedKeys } : {}),
    requireSignature: options.requireSignature === true,
  });
  const { manifest, delivery } = extracted;
  try {
    assertTargetCompatible(extracted.target);
    const registry = await readRegistryForInstall(paths, manifest.name, manifest.version);
    if (delivery.name !== manifest.name || delivery.version !== manifest.version) {
      throw new ProcVisionError(
        ErrorCodes.invalidZip,
        `${zip}: delivery.json names ${delivery.name}@${delivery.version} but manifest.json ${manifest.name}@${manifest.version}`,
      );
    }
    await installOffline(stagingDir, {
      cacheDir,
      ...(options.npmCli ? { npmCli: options.npmCli } : {}),
      onNpmCiSpawn: (child) => options.onStage?.({ stage: 'dependencies', stagingDir, pid: child.pid }),
    });
    await checkInstalledSet(stagingDir, delivery);
    await smokeLoadEntryPoint(stagingDir, manifest.entry_point, options.smokeLoadTimeoutMs);
    const entry: StagedPackage['entry'] = {
      kind: 'npm',
      target: extracted.target,
      signer_key_id: extracted.signerKeyId,
      delivery_sha256: extracted.deliverySha256,
      dependency_count: delivery.dependencies.length,
      ...(extracted.sbom === null ? {} : { sbom_file: 'sbom.cdx.json', licenses: extracted.sbom.licenses }),
    };
    return { stagingDir, registry, manifest, entry };
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
}
