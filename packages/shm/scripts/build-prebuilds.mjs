#!/usr/bin/env node
// Compiles the mmap addon (native/shm_segment.c, N-API: one binary serves every Node >= 20) for
// each Linux target into node-gyp-build's layout, prebuilds/<platform>-<arch>/procvision_shm.napi.<libc>.node,
// and for Windows x64 (named file mappings, native/shm_segment_win32.h; mingw-w64) into
// prebuilds/win32-x64/procvision_shm.napi.node, and records the sources' SHA-256 in prebuilds/source.sha256. The binaries are committed, so an
// install needs no compiler; run this (`pnpm --filter @procvision/shm prebuilds`) after changing
// the C source: check-publish.mjs refuses a tarball whose binaries are missing, mislabelled or
// built from another source. Cross compilers come from Debian (gcc-aarch64-linux-gnu,
// musl-tools, mingw-w64): installed here with apt-get when it is available, otherwise the script stops at
// once naming the packages. linux-arm64 musl has no Debian toolchain: that platform uses the file
// backend (docs/design.md).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const packageDir = join(import.meta.dirname, '..');

/**
 * The prebuilds the tarball must hold, the compiler of each and the Debian package that has it;
 * `file` is the path under prebuilds/, `format` the binary format check-publish verifies (ELF:
 * CPU and libc; PE: CPU, a DLL, imports node.exe).
 */
export const prebuildTargets = [
  {
    dir: 'linux-x64',
    libc: 'glibc',
    arch: 'x64',
    cc: process.arch === 'x64' ? 'gcc' : 'x86_64-linux-gnu-gcc',
    debian: process.arch === 'x64' ? 'gcc' : 'gcc-x86-64-linux-gnu',
  },
  { dir: 'linux-x64', libc: 'musl', arch: 'x64', cc: process.arch === 'x64' ? 'musl-gcc' : undefined, debian: 'musl-tools' },
  {
    dir: 'linux-arm64',
    libc: 'glibc',
    arch: 'arm64',
    cc: process.arch === 'arm64' ? 'gcc' : 'aarch64-linux-gnu-gcc',
    debian: process.arch === 'arm64' ? 'gcc' : 'gcc-aarch64-linux-gnu',
  },
  { dir: 'win32-x64', libc: undefined, arch: 'x64', cc: 'x86_64-w64-mingw32-gcc', debian: 'mingw-w64' },
].map((target) => ({
  ...target,
  format: target.dir.startsWith('win32') ? 'pe' : 'elf',
  file: `${target.dir}/procvision_shm.napi${target.libc === undefined ? '' : `.${target.libc}`}.node`,
}));

/** The C source the prebuilds are compiled from, relative to the package. */
export const nativeSource = 'native/shm_segment.c';
/** Every source file of the prebuilds (the Windows half is included by shm_segment.c). */
export const nativeSources = [nativeSource, 'native/shm_segment_win32.h'];

/** SHA-256 (hex) of the C sources in `packageRoot` (one file: its plain sha256sum). */
export function nativeSourceDigest(packageRoot = packageDir) {
  const hash = createHash('sha256');
  for (const source of nativeSources) hash.update(readFileSync(join(packageRoot, source)));
  return hash.digest('hex');
}

/**
 * The Windows addon: compiled as a plain C object (NAPI_EXTERN emptied), its undefined napi_*
 * symbols turned into an import library of node.exe (mingw's dlltool), linked as a DLL. The
 * host process must be node.exe (as with node-gyp's builds without the delay-load hook).
 */
function buildWindows(target, include, output) {
  const prefix = target.cc.slice(0, -'gcc'.length);
  const scratch = mkdtempSync(join(tmpdir(), 'pv-shm-win32-'));
  try {
    const object = join(scratch, 'shm_segment.o');
    const run = (command, args) => spawnSync(command, args, { cwd: packageDir, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
    if (run(target.cc, ['-c', '-O2', '-Wall', '-Wextra', '-DNAPI_EXTERN=', `-I${include}`, nativeSource, '-o', object]).status !== 0) return false;
    const undefinedSymbols = run(`${prefix}nm`, ['-u', object]).stdout ?? '';
    const napi = [...undefinedSymbols.matchAll(/\bU (napi_\w+)/g)].map((match) => match[1]);
    writeFileSync(join(scratch, 'node.def'), ['LIBRARY node.exe', 'EXPORTS', ...napi, ''].join('\n'));
    const library = join(scratch, 'libnode.a');
    if (run(`${prefix}dlltool`, ['-d', join(scratch, 'node.def'), '-l', library]).status !== 0) return false;
    return run(target.cc, ['-shared', '-s', '-o', output, object, library, '-ladvapi32']).status === 0;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The digest prebuilds/source.sha256 records (the source the binaries were built from), if any. */
export function recordedSourceDigest(prebuildsDir) {
  const file = join(prebuildsDir, 'source.sha256');
  return existsSync(file) ? readFileSync(file, 'utf8').split(/\s+/)[0] : undefined;
}

function nodeInclude() {
  const candidates = [
    process.env.npm_config_nodedir && join(process.env.npm_config_nodedir, 'include', 'node'),
    join(dirname(dirname(process.execPath)), 'include', 'node'),
  ].filter(Boolean);
  return candidates.find((candidate) => existsSync(join(candidate, 'node_api.h')));
}

function hasCompiler(cc) {
  return cc !== undefined && spawnSync(cc, ['--version'], { stdio: 'ignore' }).status === 0;
}

function fail(message) {
  process.stderr.write(`@procvision/shm prebuilds: ${message}\n`);
  process.exit(1);
}

/** Installs the Debian packages of the missing compilers with apt-get, or stops naming them. */
function ensureCompilers() {
  const missing = [...new Set(prebuildTargets.filter((target) => !hasCompiler(target.cc)).map((target) => target.debian))];
  if (prebuildTargets.some((target) => target.cc === undefined)) fail(`no cross toolchain for linux-x64 musl on ${process.arch}; build on an x64 host`);
  if (missing.length === 0) return;
  const aptGet = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).stdout.trim();
  const root = process.getuid?.() === 0;
  const sudo = !root && spawnSync('sh', ['-c', 'command -v sudo'], { stdio: 'ignore' }).status === 0;
  if (aptGet === '' || (!root && !sudo) || process.env.PROCVISION_NO_APT === '1') {
    fail(`missing compilers; install the packages ${missing.join(' ')} (Debian/Ubuntu: apt-get install -y ${missing.join(' ')}) and run again`);
  }
  const prefix = root ? [] : ['sudo'];
  process.stderr.write(`@procvision/shm prebuilds: installing ${missing.join(' ')} with apt-get\n`);
  const install = () =>
    spawnSync(prefix[0] ?? 'apt-get', [...(root ? [] : ['apt-get']), 'install', '-y', '-qq', ...missing], { stdio: 'inherit' }).status === 0;
  if (!install()) {
    spawnSync(prefix[0] ?? 'apt-get', [...(root ? [] : ['apt-get']), 'update', '-qq'], { stdio: 'inherit' });
    if (!install()) fail(`apt-get could not install ${missing.join(' ')}; install them and run again`);
  }
  const still = prebuildTargets.filter((target) => !hasCompiler(target.cc)).map((target) => target.cc);
  if (still.length > 0) fail(`still missing after apt-get: ${still.join(', ')}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.platform !== 'linux') fail(`prebuilds are built on Linux (this is ${process.platform})`);
  const include = nodeInclude();
  if (include === undefined)
    fail('the Node headers (include/node/node_api.h) are not beside this node; set npm_config_nodedir to a Node source or headers folder');
  ensureCompilers();
  for (const target of prebuildTargets) rmSync(join(packageDir, 'prebuilds', target.file), { force: true });
  for (const target of prebuildTargets) {
    const name = target.file;
    mkdirSync(join(packageDir, 'prebuilds', target.dir), { recursive: true });
    if (target.format === 'pe') {
      if (!buildWindows(target, include, join(packageDir, 'prebuilds', name))) fail(`${target.cc} failed for ${name}`);
      process.stderr.write(`@procvision/shm prebuilds: built prebuilds/${name} with ${target.cc}\n`);
      continue;
    }
    const args = ['-shared', '-fPIC', '-O2', '-Wall', '-Wextra', '-s', `-I${include}`, nativeSource, '-o', join('prebuilds', name), '-lrt'];
    const result = spawnSync(target.cc, args, { cwd: packageDir, stdio: ['ignore', 'ignore', 'inherit'] });
    if (result.status !== 0) fail(`${target.cc} failed for ${name}`);
    process.stderr.write(`@procvision/shm prebuilds: built prebuilds/${name} with ${target.cc}\n`);
  }
  writeFileSync(join(packageDir, 'prebuilds', 'source.sha256'), `${nativeSourceDigest()}  ${nativeSources.join(' ')}\n`);
}
