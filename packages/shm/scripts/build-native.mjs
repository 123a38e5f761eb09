#!/usr/bin/env node
// Builds the mmap addon (native/shm_segment.c) with node-gyp. A failed build is not fatal:
// the package then uses its pure-JS file backend and says so (mmapBackendKind() === 'file').
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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
}
// The prebuilds/ of the published tarball (every Linux target) come from scripts/build-prebuilds.mjs.
