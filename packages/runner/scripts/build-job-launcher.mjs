#!/usr/bin/env node
// Cross-compiles the Windows job launcher (native/procvision-job.c: every algorithm process runs
// inside a kill-on-close Job Object) with mingw-w64 (Debian: mingw-w64) into
// prebuilds/win32-x64/procvision-job.exe and records the source's SHA-256 in
// prebuilds/source.sha256. The binary is committed, so a build needs no compiler; run this
// (`pnpm --filter @procvision/runner prebuilds`) after changing the C source: check-publish.mjs
// refuses a tarball whose launcher is missing, not an x64 console executable, or built from
// another source. Without it at run time, a Windows runner falls back to `taskkill /T`.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const packageDir = join(import.meta.dirname, '..');

/** The launcher's path under prebuilds/ (also what check-publish.mjs looks for). */
export const jobLauncherFile = 'win32-x64/procvision-job.exe';
/** Its C source, relative to the package. */
export const jobLauncherSource = 'native/procvision-job.c';

/** SHA-256 (hex) of the launcher's C source in `packageRoot`. */
export function jobLauncherDigest(packageRoot = packageDir) {
  return createHash('sha256')
    .update(readFileSync(join(packageRoot, jobLauncherSource)))
    .digest('hex');
}

/** The digest prebuilds/source.sha256 records, if any. */
export function recordedJobLauncherDigest(packageRoot = packageDir) {
  const file = join(packageRoot, 'prebuilds', 'source.sha256');
  return existsSync(file) ? readFileSync(file, 'utf8').split(/\s+/)[0] : undefined;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cc = 'x86_64-w64-mingw32-gcc';
  if (spawnSync(cc, ['--version'], { stdio: 'ignore' }).status !== 0) {
    process.stderr.write(`@procvision/runner prebuilds: no ${cc}; install it (Debian/Ubuntu: apt-get install -y mingw-w64) and run again\n`);
    process.exit(1);
  }
  mkdirSync(join(packageDir, 'prebuilds', 'win32-x64'), { recursive: true });
  const args = ['-municode', '-O2', '-Wall', '-Wextra', '-s', jobLauncherSource, '-o', join('prebuilds', jobLauncherFile), '-lshell32'];
  const result = spawnSync(cc, args, { cwd: packageDir, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) {
    process.stderr.write(`@procvision/runner prebuilds: ${cc} failed for prebuilds/${jobLauncherFile}\n`);
    process.exit(1);
  }
  writeFileSync(join(packageDir, 'prebuilds', 'source.sha256'), `${jobLauncherDigest()}  ${jobLauncherSource}\n`);
  process.stderr.write(`@procvision/runner prebuilds: built prebuilds/${jobLauncherFile} with ${cc}\n`);
}
