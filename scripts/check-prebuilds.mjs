// The mmap addon binaries in the @procvision/shm tarball: every required target is there
// (packages/shm/scripts/build-prebuilds.mjs lists them) and each binary's ELF header says the
// CPU of its folder and its DT_NEEDED the libc of its name (the Windows one: a PE DLL for the
// CPU of its folder importing node.exe), and prebuilds/source.sha256 names the C sources the
// tarball ships (the binaries are committed; rebuilt with `pnpm --filter @procvision/shm
// prebuilds`). The runner's Windows job launcher: an x64 PE console executable built from the
// source its tarball ships. Called by check-publish.mjs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nativeSourceDigest, prebuildTargets, recordedSourceDigest } from '../packages/shm/scripts/build-prebuilds.mjs';
import { elfInfo } from '../packages/shm/scripts/elf-info.mjs';
import { peInfo } from '../packages/shm/scripts/pe-info.mjs';
import { jobLauncherDigest, jobLauncherFile, recordedJobLauncherDigest } from '../packages/runner/scripts/build-job-launcher.mjs';

/** @returns {string[]} one line per problem with the runner tarball's Windows job launcher */
export function checkJobLauncher(tarballPath) {
  const scratch = mkdtempSync(join(tmpdir(), 'pv-prebuilds-'));
  try {
    execFileSync('tar', ['-xzf', tarballPath, '-C', scratch]);
    const packageRoot = join(scratch, 'package');
    const info = peInfo(join(packageRoot, 'prebuilds', jobLauncherFile));
    const problems = [];
    if (info.arch !== 'x64' || info.dll || info.subsystem !== 'console') {
      problems.push(`prebuilds/${jobLauncherFile} is ${info.arch} ${info.dll ? 'DLL' : 'executable'} (${info.subsystem}), expected an x64 console executable`);
    }
    const recorded = recordedJobLauncherDigest(packageRoot);
    const source = jobLauncherDigest(packageRoot);
    if (recorded !== source) {
      problems.push(
        `prebuilds/source.sha256 of the runner (${recorded ?? 'missing'}) is not the sha256 of native/procvision-job.c (${source}): run pnpm --filter @procvision/runner prebuilds and commit prebuilds/`,
      );
    }
    if (problems.length === 0) process.stderr.write(`ok   prebuild ${jobLauncherFile}: PE x64 console executable, built from native/procvision-job.c\n`);
    return problems;
  } catch (error) {
    return [`cannot read the runner's job launcher in ${tarballPath}: ${error.message}`];
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** @returns {string[]} one line per problem; empty when the tarball's prebuilds are right */
export function checkPrebuilds(tarballPath) {
  const scratch = mkdtempSync(join(tmpdir(), 'pv-prebuilds-'));
  const problems = [];
  try {
    execFileSync('tar', ['-xzf', tarballPath, '-C', scratch]);
    const prebuilds = join(scratch, 'package', 'prebuilds');
    const found = readdirSync(prebuilds, { recursive: true })
      .filter((file) => String(file).endsWith('.node'))
      .map((file) => String(file).replaceAll('\\', '/'));
    for (const target of prebuildTargets) {
      if (!found.includes(target.file)) problems.push(`missing prebuilds/${target.file}`);
    }
    const recorded = recordedSourceDigest(prebuilds);
    const source = nativeSourceDigest(join(scratch, 'package'));
    if (recorded !== source)
      problems.push(
        `prebuilds/source.sha256 (${recorded ?? 'missing'}) is not the sha256 of native/shm_segment.c and shm_segment_win32.h (${source}): the binaries were built from another source; run pnpm --filter @procvision/shm prebuilds and commit prebuilds/`,
      );
    else process.stderr.write(`ok   prebuilds built from native/shm_segment.c ${source.slice(0, 12)}\n`);
    for (const file of found) {
      const [dir = '', base = ''] = file.split('/');
      const expectedArch = dir.split('-')[1];
      if (dir.startsWith('win32-')) {
        const info = peInfo(join(prebuilds, file));
        if (info.arch !== expectedArch || !info.dll || !info.imports.includes('node.exe')) {
          problems.push(
            `prebuilds/${file} is a PE ${info.dll ? 'DLL' : 'executable'} for ${info.arch} importing ${info.imports.join(', ')}; expected a DLL for ${expectedArch} importing node.exe`,
          );
        } else process.stderr.write(`ok   prebuild ${file}: PE DLL ${info.arch}, imports node.exe\n`);
        continue;
      }
      const expectedLibc = /\.(glibc|musl)\./.exec(base)?.[1];
      const info = elfInfo(join(prebuilds, file));
      if (info.arch !== expectedArch) problems.push(`prebuilds/${file} is built for ${info.arch}, its folder says ${expectedArch}`);
      if (info.libc !== expectedLibc)
        problems.push(`prebuilds/${file} links ${info.needed.join(', ') || 'no libc'} (${info.libc}), its name says ${expectedLibc}`);
      else process.stderr.write(`ok   prebuild ${file}: ${info.arch} ${info.libc}\n`);
    }
  } catch (error) {
    problems.push(`cannot read the prebuilds of ${tarballPath}: ${error.message}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return problems;
}
