#!/usr/bin/env node
// Builds the mmap addon for this machine from source, on request only
// (`pnpm --filter @procvision/shm build:addon`): node-gyp over native/binding.gyp (kept out of the
// package root so that installs never run node-gyp), with the machine's Node headers when present
// (offline). Needs python3, make and a C compiler. The result goes to build/Release, which
// node-gyp-build prefers over prebuilds/. Installs need none of this: prebuilds/ is in the
// repository and the tarball, and without a usable binary the file backend serves mmap: ids.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const packageDir = join(import.meta.dirname, '..');
if (process.platform === 'win32') {
  process.stderr.write('@procvision/shm: no native mmap addon on Windows; the file backend is used\n');
  process.exit(0);
}
const require = createRequire(import.meta.url);
const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');
const args = [nodeGyp, 'rebuild', '--silent'];
// Use the local Node headers when the machine has them (offline build, no download).
const prefix = dirname(dirname(process.execPath));
if (!process.env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node_api.h'))) {
  args.push(`--nodedir=${prefix}`);
}
const result = spawnSync(process.execPath, args, { cwd: join(packageDir, 'native'), stdio: ['ignore', 'ignore', 'inherit'] });
if (result.status !== 0) {
  process.stderr.write('@procvision/shm: native addon build failed (needs python3, make and a C compiler); mmap: ids use a prebuild or the file backend\n');
  process.exit(1);
}
mkdirSync(join(packageDir, 'build', 'Release'), { recursive: true });
copyFileSync(join(packageDir, 'native', 'build', 'Release', 'procvision_shm.node'), join(packageDir, 'build', 'Release', 'procvision_shm.node'));
process.stderr.write('@procvision/shm: built build/Release/procvision_shm.node (node-gyp-build prefers it over prebuilds/)\n');
