#!/usr/bin/env node
// Cross-compiles the Windows job launcher (native/procvision-job.c: every algorithm process runs
// inside a kill-on-close Job Object) with mingw-w64 into prebuilds/win32-x64/procvision-job.exe,
// which the published tarball carries. No compiler (Debian: mingw-w64): skipped with a note here;
// check-publish.mjs refuses a runner tarball without it. Without it at run time, a Windows
// runner falls back to `taskkill /T` and says so (docs/design.md, "Windows stations").
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const packageDir = join(import.meta.dirname, '..');

/** The launcher's path under prebuilds/ (also what check-publish.mjs looks for). */
export const jobLauncherFile = 'win32-x64/procvision-job.exe';

if (import.meta.url === `file://${process.argv[1]}`) {
  const cc = 'x86_64-w64-mingw32-gcc';
  if (spawnSync(cc, ['--version'], { stdio: 'ignore' }).status !== 0) {
    process.stderr.write(`@procvision/runner: no ${cc} (Debian: mingw-w64): prebuilds/${jobLauncherFile} skipped\n`);
    process.exit(0);
  }
  mkdirSync(join(packageDir, 'prebuilds', 'win32-x64'), { recursive: true });
  const args = ['-municode', '-O2', '-Wall', '-Wextra', '-s', 'native/procvision-job.c', '-o', join('prebuilds', jobLauncherFile), '-lshell32'];
  const result = spawnSync(cc, args, { cwd: packageDir, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) {
    process.stderr.write(`@procvision/runner: ${cc} failed for prebuilds/${jobLauncherFile}\n`);
    process.exitCode = 1;
  }
}
