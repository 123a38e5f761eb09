#!/usr/bin/env node
// Builds the mmap addon (native/shm_segment.c) with node-gyp. A failed build is not fatal:
// the package then uses its pure-JS file backend and says so (mmapBackendKind() === 'file').
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const packageDir = join(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');
const args = [nodeGyp, 'rebuild', '--silent'];
// Use the local Node headers when the machine has them (offline build, no download).
const prefix = dirname(dirname(process.execPath));
if (!process.env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node_api.h'))) {
  args.push(`--nodedir=${prefix}`);
}
if (process.platform === 'win32') {
  process.stderr.write('@procvision/shm: no native mmap addon on Windows; the file backend will be used\n');
  process.exit(0);
}
const result = spawnSync(process.execPath, args, { cwd: packageDir, stdio: ['ignore', 'ignore', 'inherit'] });
if (result.status !== 0) {
  process.stderr.write('@procvision/shm: native addon build failed; mmap: ids will use the file backend\n');
} else {
  // Also stage it as a node-gyp-build prebuild (platform-arch, N-API, libc tags) so a packed
  // tarball carries a binary for the platform it was built on; others fall back to the file backend.
  const glibc = process.platform === 'linux' && Boolean(process.report?.getReport().header.glibcVersionRuntime);
  const tags = ['procvision_shm', 'napi', ...(process.platform === 'linux' ? [glibc ? 'glibc' : 'musl'] : []), 'node'];
  const prebuildDir = join(packageDir, 'prebuilds', `${process.platform}-${process.arch}`);
  rmSync(prebuildDir, { recursive: true, force: true });
  mkdirSync(prebuildDir, { recursive: true });
  copyFileSync(join(packageDir, 'build', 'Release', 'procvision_shm.node'), join(prebuildDir, tags.join('.')));
}
