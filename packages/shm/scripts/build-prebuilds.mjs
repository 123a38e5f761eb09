#!/usr/bin/env node
// Compiles the mmap addon (native/shm_segment.c, N-API: one binary serves every Node >= 20) for
// each target into node-gyp-build's layout, prebuilds/<platform>-<arch>/procvision_shm.napi.<libc>.node
// on Linux and prebuilds/win32-x64/procvision_shm.napi.node (named file mappings, mingw-w64),
// so the published tarball carries all of them. Cross compilers (Debian): gcc-aarch64-linux-gnu,
// musl-tools, mingw-w64. A target whose compiler is missing is skipped with a note here; check-publish.mjs
// refuses a tarball that lacks one of the required binaries. linux-arm64 musl has no Debian
// toolchain: that platform uses the file backend (docs/design.md).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const packageDir = join(import.meta.dirname, '..');

/**
 * The prebuilds the tarball must hold, and the compiler of each: `file` is the path under
 * prebuilds/, `format` the binary format check-publish verifies (ELF: CPU and libc; PE: CPU,
 * DLL, imports node.exe).
 */
export const prebuildTargets = [
  { dir: 'linux-x64', libc: 'glibc', arch: 'x64', cc: process.arch === 'x64' ? 'gcc' : 'x86_64-linux-gnu-gcc' },
  { dir: 'linux-x64', libc: 'musl', arch: 'x64', cc: process.arch === 'x64' ? 'musl-gcc' : undefined },
  { dir: 'linux-arm64', libc: 'glibc', arch: 'arm64', cc: process.arch === 'arm64' ? 'gcc' : 'aarch64-linux-gnu-gcc' },
  { dir: 'win32-x64', libc: undefined, arch: 'x64', cc: 'x86_64-w64-mingw32-gcc' },
].map((target) => ({
  ...target,
  format: target.dir.startsWith('win32') ? 'pe' : 'elf',
  file: `${target.dir}/procvision_shm.napi${target.libc === undefined ? '' : `.${target.libc}`}.node`,
}));

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
    if (run(target.cc, ['-c', '-O2', '-Wall', '-Wextra', '-DNAPI_EXTERN=', `-I${include}`, 'native/shm_segment.c', '-o', object]).status !== 0) return false;
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

if (import.meta.url === `file://${process.argv[1]}`) {
  const include = nodeInclude();
  if (process.platform !== 'linux' || include === undefined) {
    process.stderr.write(
      `@procvision/shm: prebuilds need Linux and the Node headers (node_api.h); ${include === undefined ? 'no headers found' : process.platform}: skipped\n`,
    );
    process.exit(0);
  }
  rmSync(join(packageDir, 'prebuilds'), { recursive: true, force: true });
  for (const target of prebuildTargets) {
    const name = target.file;
    if (!hasCompiler(target.cc)) {
      process.stderr.write(`@procvision/shm: no compiler for ${name} (${target.cc ?? 'none on this host'}); skipped\n`);
      continue;
    }
    mkdirSync(join(packageDir, 'prebuilds', target.dir), { recursive: true });
    if (target.format === 'pe') {
      if (!buildWindows(target, include, join(packageDir, 'prebuilds', name))) {
        process.stderr.write(`@procvision/shm: ${target.cc} failed for ${name}\n`);
        process.exitCode = 1;
      }
      continue;
    }
    const args = ['-shared', '-fPIC', '-O2', '-Wall', '-Wextra', '-s', `-I${include}`, 'native/shm_segment.c', '-o', join('prebuilds', name), '-lrt'];
    const result = spawnSync(target.cc, args, { cwd: packageDir, stdio: ['ignore', 'ignore', 'inherit'] });
    if (result.status !== 0) {
      process.stderr.write(`@procvision/shm: ${target.cc} failed for ${name}\n`);
      process.exitCode = 1;
    }
  }
}
