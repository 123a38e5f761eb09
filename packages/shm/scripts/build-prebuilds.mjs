#!/usr/bin/env node
// Compiles the mmap addon (native/shm_segment.c, N-API: one binary serves every Node >= 20) for
// each Linux target into node-gyp-build's layout, prebuilds/<platform>-<arch>/procvision_shm.napi.<libc>.node,
// so the published tarball carries all of them. Cross compilers (Debian): gcc-aarch64-linux-gnu,
// musl-tools. A target whose compiler is missing is skipped with a note here; check-publish.mjs
// refuses a tarball that lacks one of the required binaries. linux-arm64 musl has no Debian
// toolchain: that platform uses the file backend (docs/design.md).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

const packageDir = join(import.meta.dirname, '..');

/** The prebuilds the tarball must hold, and the compiler of each. */
export const prebuildTargets = [
  { dir: 'linux-x64', libc: 'glibc', arch: 'x64', cc: process.arch === 'x64' ? 'gcc' : 'x86_64-linux-gnu-gcc' },
  { dir: 'linux-x64', libc: 'musl', arch: 'x64', cc: process.arch === 'x64' ? 'musl-gcc' : undefined },
  { dir: 'linux-arm64', libc: 'glibc', arch: 'arm64', cc: process.arch === 'arm64' ? 'gcc' : 'aarch64-linux-gnu-gcc' },
];

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
    const name = `${target.dir}/procvision_shm.napi.${target.libc}.node`;
    if (!hasCompiler(target.cc)) {
      process.stderr.write(`@procvision/shm: no compiler for ${name} (${target.cc ?? 'none on this host'}); skipped\n`);
      continue;
    }
    mkdirSync(join(packageDir, 'prebuilds', target.dir), { recursive: true });
    const args = ['-shared', '-fPIC', '-O2', '-Wall', '-Wextra', '-s', `-I${include}`, 'native/shm_segment.c', '-o', join('prebuilds', name), '-lrt'];
    const result = spawnSync(target.cc, args, { cwd: packageDir, stdio: ['ignore', 'ignore', 'inherit'] });
    if (result.status !== 0) {
      process.stderr.write(`@procvision/shm: ${target.cc} failed for ${name}\n`);
      process.exitCode = 1;
    }
  }
}
