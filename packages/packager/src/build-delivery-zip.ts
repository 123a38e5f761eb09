import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ProcVisionError, parseManifest, type Delivery, type Manifest, ErrorCodes } from '@procvision/manifest';
import { collectTarballs } from './internal/collect-tarballs.js';
import { createDelivery } from './internal/delivery-document.js';
import { listProjectFiles, type ZipSource } from './internal/project-files.js';
import { detectNativeCode } from './internal/native-code.js';
import { projectNodeAbi, resolveProjectTarget } from './internal/project-target.js';
import { runNpm } from './process/run-npm.js';
import { runProcess } from './process/run-process.js';
import { createStagingProject } from './internal/staging-project.js';
import { createSbom, npmSbomPackages, sbomFileName } from './internal/sbom.js';
import { lockProject } from './internal/lock-project.js';
import { npmCanLock, readProjectLockfile, type ProjectLockfile } from './internal/project-lockfile.js';
import { readPackageJson } from './internal/workspace-packages.js';
import { writeDeterministicZip } from './internal/write-zip.js';
import { checkInstallScripts, type AllowedInstallScript } from './install-script-policy.js';
import type { PackageProgressListener, PackageStage } from './package-progress.js';
import { signDelivery, toPrivateKey, type KeyInput } from './signing.js';
import { removeOnExit } from './internal/exit-cleanup.js';
import { deliveryZipName, formatTarget, type PlatformTarget } from './target.js';

/** Options of {@link buildDeliveryZip}. */
export interface BuildOptions {
  /** `linux-x64`, `win32-x64` ... or a {@link PlatformTarget}; default procvision.target.json, else this machine. */
  target?: string | PlatformTarget;
  /** Output zip path (`.zip`) or folder; default `<project>/release/`. */
  output?: string;
  /** ed25519 private key: writes SIGNATURE over delivery.json. */
  signKey?: KeyInput;
  /**
   * Node ABI the package targets (`process.versions.modules` of the runner); default
   * procvision.target.json `node_abi`, else this Node's. Stations check it only when the zip
   * holds ABI-bound native code.
   */
  nodeAbi?: string;
  /** Deliver no npm dependencies at all (dependency-free algorithms, tests). */
  skipDeps?: boolean;
  /** Do not run the project's `build` script (dist/ must exist). */
  skipBuild?: boolean;
  /** Extra package names whose install scripts may be skipped safely. */
  allowInstallScripts?: readonly string[];
  /**
   * The folder whose `.npmrc` files npm reads (its own, and its enclosing project's or pnpm
   * workspace root's); default the project. For a caller that packages a staged copy.
   */
  npmConfigDir?: string;
  /** npm cache folder to use (and keep); default a private cache removed afterwards. */
  npmCacheDir?: string;
  /** delivery.json `created_at`; default SOURCE_DATE_EPOCH, else the last git commit of the project, else 1980-01-01 (never the clock). */
  createdAt?: Date;
  /**
   * Resolve the dependency ranges again (newest versions they allow) and write the result
   * beside the project, instead of delivering the versions its lockfile holds.
   */
  refreshLock?: boolean;
  /** The folder holding the project's lockfile, and where a new one is written; default the project. */
  lockfileDir?: string;
  /** Receives progress events. */
  onProgress?: PackageProgressListener;
}

/** A delivery zip that was written. */
export interface BuiltDelivery {
  zipPath: string;
  delivery: Delivery;
  target: PlatformTarget;
  /** Key id of the signing key, or null when unsigned. */
  signerKeyId: string | null;
  /** Install scripts that were allowed (skipped), with the reason. */
  allowedInstallScripts: AllowedInstallScript[];
  /** Which lockfile the delivered versions come from. */
  lockfile: DeliveryLockfile;
}

/** Where the versions of a zip come from. */
export interface DeliveryLockfile {
  /**
   * `project`: the project's lockfile, as it was; `written`: there was none, so the ranges were
   * resolved and the new lockfile written beside the project; `refreshed`: `refreshLock`
   * resolved them again and rewrote it; `none`: resolved for this zip only (a workspace
   * project without a lockfile npm can read).
   */
  source: 'project' | 'written' | 'refreshed' | 'none';
  /** The lockfile's path, or null with `none`. */
  path: string | null;
  /** Registry packages the project's lockfile did not hold (dependencies of first-party packages), as `name@version`. */
  lockedAfresh: string[];
}

async function readProjectManifest(projectDir: string): Promise<{ bytes: Buffer; manifest: Manifest; name: string; version: string }> {
  const path = join(projectDir, 'manifest.json');
  if (!existsSync(path)) throw new ProcVisionError(ErrorCodes.manifestMissing, `${projectDir}: no manifest.json; an algorithm package needs one at its root`);
  const bytes = await readFile(path);
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new ProcVisionError(ErrorCodes.manifestMissing, `${path} is not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const { manifest } = parseManifest(json, { source: path });
  return { bytes, manifest, name: manifest.name, version: manifest.version };
}

/** delivery.json `created_at` when nothing else dates the source: the zip format's own epoch. */
const reproducibleEpoch = new Date('1980-01-01T00:00:00Z');

/**
 * delivery.json `created_at` by default, never the clock (same source, same zip bytes):
 * SOURCE_DATE_EPOCH when set, else the time of the last git commit touching the project, else
 * {@link reproducibleEpoch}.
 */
async function defaultCreatedAt(project: string): Promise<Date> {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000);
  try {
    const { stdout } = await runProcess('git', ['log', '-1', '--format=%ct', '--', '.'], { cwd: project, timeoutMs: 10_000, describe: 'git log' });
    const seconds = stdout.trim();
    if (/^\d+$/.test(seconds)) return new Date(Number(seconds) * 1000);
  } catch {
    // no git, or not a repository: the fixed epoch
  }
  return reproducibleEpoch;
}

/**
 * The lockfile that decides the delivered versions: the project's (npm-shrinkwrap.json,
 * package-lock.json, or its importer in the pnpm workspace's pnpm-lock.yaml); with none, or
 * with `refreshLock`, the ranges resolved now and written beside the project when npm alone can
 * lock it (a pnpm lockfile is pnpm's to rewrite: resolved for this zip only).
 */
async function projectLockfile(
  project: string,
  options: BuildOptions,
  staging: string,
  cacheDir: string,
  say: (message: string) => void,
): Promise<{ lockfile: ProjectLockfile | null; source: DeliveryLockfile['source'] }> {
  const lockfileDir = resolve(options.lockfileDir ?? project);
  const existing = await readProjectLockfile(lockfileDir);
  if (options.skipDeps === true) return { lockfile: existing, source: existing === null ? 'none' : 'project' };
  if (existing !== null && options.refreshLock !== true) {
    say(`delivering the versions locked in ${existing.path}${existing.importer === undefined ? '' : ` (importer ${existing.importer})`}`);
    return { lockfile: existing, source: 'project' };
  }
  if (existing?.file === 'pnpm-lock.yaml') {
    say(`--refresh-lock: resolving the ranges for this zip only; ${existing.path} is pnpm's (pnpm update rewrites it)`);
    return { lockfile: null, source: 'none' };
  }
  const raw = JSON.parse(await readFile(join(project, 'package.json'), 'utf8')) as Record<string, unknown>;
  if (!npmCanLock(raw)) {
    say(
      `${existing === null ? 'no package-lock.json' : '--refresh-lock'}: resolving the ranges for this zip only (a workspace project: pnpm install keeps its lockfile)`,
    );
    return { lockfile: null, source: 'none' };
  }
  const fileName = existing?.file ?? 'package-lock.json';
  const lockfile = await lockProject({
    packageJsonPath: join(project, 'package.json'),
    lockfileDir,
    fileName,
    workDir: join(staging, 'lock'),
    npmConfigDir: options.npmConfigDir === undefined ? project : resolve(options.npmConfigDir),
    cacheDir,
  });
  say(
    existing === null
      ? `no lockfile: resolved the ranges and wrote ${lockfile.path}; commit it, test with it, and package again to deliver exactly what was tested`
      : `--refresh-lock: resolved the ranges again and rewrote ${lockfile.path}`,
  );
  return { lockfile, source: existing === null ? 'written' : 'refreshed' };
}

/**
 * Packages an algorithm project into an offline delivery zip for one target (docs/spec/delivery.md):
 * build, staging npm project, lockfile with `resolved` + `integrity`, the target's exact
 * install set, every tarball collected and checked, install-script allow-list, delivery.json,
 * optional ed25519 SIGNATURE, deterministic zip named `<name>-v<version>-<target>-offline.zip`.
 */
export async function buildDeliveryZip(projectDir: string, options: BuildOptions = {}): Promise<BuiltDelivery> {
  const project = resolve(projectDir);
  const progress = (stage: PackageStage, message: string, counts: { current?: number; total?: number } = {}): void =>
    options.onProgress?.({ stage, message, ...counts });
  // A bad key fails now, not after the build and the npm work.
  const signKey = options.signKey === undefined ? undefined : toPrivateKey(options.signKey);
  const { bytes: manifestBytes, manifest, name, version } = await readProjectManifest(project);
  const packageJson = await readPackageJson(project);
  const target = await resolveProjectTarget(project, options.target);
  const staging = await mkdtemp(join(tmpdir(), 'procvision-package-'));
  const forgetStaging = removeOnExit(staging);
  const cacheDir = options.npmCacheDir ?? join(staging, 'npm-cache');
  try {
    if (options.skipBuild !== true && packageJson.scripts?.build !== undefined) {
      progress('project-build', `running the build script of ${project}`);
      await runNpm(['run', 'build'], { cwd: project, cacheDir, network: 'user' });
    }
    const projectFiles = await listProjectFiles(project, manifest);
    const dependencyCount = Object.keys(packageJson.dependencies ?? {}).length;
    if (options.skipDeps === true && dependencyCount > 0)
      progress('lockfile-write', `skipDeps: leaving out all ${dependencyCount} dependencies; the zip only works if the algorithm needs none`);
    const root = join(staging, 'project');
    const { lockfile, source } = await projectLockfile(project, options, staging, cacheDir, (message) => progress('lockfile-write', message));
    const { installSet, lockedAfresh } = await createStagingProject(
      project,
      packageJson,
      root,
      target,
      cacheDir,
      options.skipDeps === true,
      {
        onPack: (packageName) => progress('workspace-pack', `packing first-party ${packageName}`),
        onLockfile: () => progress('lockfile-write', 'writing package-lock.json with resolved and integrity'),
        onInstall: () => progress('dependencies-install', `resolving the install set for ${formatTarget(target)}`),
      },
      options.npmConfigDir === undefined ? project : resolve(options.npmConfigDir),
      lockfile,
    );
    const native = await detectNativeCode(root, installSet);
    if (native.abiBound.length > 0)
      progress('install-scripts-check', `native code bound to one Node ABI: ${native.abiBound.join(', ')}; stations need the same Node ABI`);
    progress('install-scripts-check', `checking install scripts of ${installSet.length} packages`);
    const allowedInstallScripts = checkInstallScripts(installSet, target, options.allowInstallScripts);
    for (const allowed of allowedInstallScripts) progress('install-scripts-check', `${allowed.name}@${allowed.version}: ${allowed.reason}`);
    const tarballs = await collectTarballs(installSet, root, cacheDir, (done) =>
      progress('tarballs-collect', 'collecting tarballs', { current: done, total: installSet.length }),
    );
    const metadataDir = join(staging, 'metadata');
    await mkdir(metadataDir);
    await writeFile(join(metadataDir, 'manifest.json'), manifestBytes);
    const createdAt = options.createdAt ?? (await defaultCreatedAt(project));
    const stagedPackageJson = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    const sbom = npmSbomPackages(installSet, Object.keys(stagedPackageJson.dependencies ?? {}));
    progress('delivery-write', `writing ${sbomFileName}: ${sbom.packages.length} packages`);
    await writeFile(join(metadataDir, sbomFileName), createSbom({ name, version, createdAt, dependsOn: sbom.direct }, sbom.packages));
    const sources: ZipSource[] = [
      { name: 'manifest.json', path: join(metadataDir, 'manifest.json') },
      { name: 'package.json', path: join(root, 'package.json') },
      { name: 'package-lock.json', path: join(root, 'package-lock.json') },
      { name: sbomFileName, path: join(metadataDir, sbomFileName) },
      ...projectFiles,
      ...[...new Set(tarballs.values())].map((tarball) => ({ name: tarball, path: join(root, ...tarball.split('/')) })),
    ];
    progress('delivery-write', `hashing ${sources.length} files into delivery.json`);
    const delivery = await createDelivery(
      {
        name,
        version,
        createdAt,
        target: {
          ...target,
          node_abi: options.nodeAbi ?? (await projectNodeAbi(project)) ?? process.versions.modules,
          node_range: packageJson.engines?.node ?? `>=${process.versions.node}`,
          native_addons: native.abiBound,
          napi_addons: native.napi,
        },
      },
      sources,
      installSet,
      tarballs,
    );
    const deliveryBytes = Buffer.from(`${JSON.stringify(delivery, null, 2)}\n`);
    await writeFile(join(metadataDir, 'delivery.json'), deliveryBytes);
    sources.push({ name: 'delivery.json', path: join(metadataDir, 'delivery.json') });
    let signerKeyId: string | null = null;
    if (signKey !== undefined) {
      const signature = signDelivery(deliveryBytes, signKey);
      signerKeyId = signature.key_id;
      progress('delivery-sign', `signing delivery.json with ${signature.key_id}`);
      await writeFile(join(metadataDir, 'SIGNATURE'), `${JSON.stringify(signature, null, 2)}\n`);
      sources.push({ name: 'SIGNATURE', path: join(metadataDir, 'SIGNATURE') });
    }
    const zipName = deliveryZipName(name, version, target);
    const output =
      options.output === undefined
        ? join(project, 'release', zipName)
        : options.output.endsWith('.zip')
          ? resolve(options.output)
          : join(resolve(options.output), zipName);
    await mkdir(dirname(output), { recursive: true });
    progress('zip-write', `writing ${output}`);
    await writeDeterministicZip(sources, output);
    progress('package-done', `packaged ${name}@${version} for ${formatTarget(target)}`);
    return {
      zipPath: output,
      delivery,
      target,
      signerKeyId,
      allowedInstallScripts,
      lockfile: { source, path: lockfile?.path ?? null, lockedAfresh },
    };
  } finally {
    forgetStaging();
    await rm(staging, { recursive: true, force: true });
  }
}
