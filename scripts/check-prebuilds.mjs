// The native binaries of the tarballs. @procvision/shm: every required mmap addon is there
// (packages/shm/scripts/build-prebuilds.mjs lists them); each ELF header says the CPU of its
// folder and its DT_NEEDED the libc of its name; the Windows one is a PE DLL for the CPU of its
// folder that imports node.exe. @procvision/runner: the Windows job launcher is a PE console
// executable for x64. Called by check-publish.mjs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prebuildTargets } from '../packages/shm/scripts/build-prebuilds.mjs';
import { elfInfo } from '../packages/shm/scripts/elf-info.mjs';
import { peInfo } from '../packages/shm/scripts/pe-info.mjs';
import { jobLauncherFile } from '../packages/runner/scripts/build-job-launcher.mjs';

function unpacked(tarballPath, check) {
  const scratch = mkdtempSync(join(tmpdir(), 'pv-prebuilds-'));
  try {
    execFileSync('tar', ['-xzf', tarballPath, '-C', scratch]);
    return check(join(scratch, 'package', 'prebuilds'));
  } catch (error) {
    return [`cannot read the prebuilds of ${tarballPath}: ${error.message}`];
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** @returns {string[]} one line per problem with the runner tarball's Windows job launcher */
export function checkJobLauncher(tarballPath) {
  return unpacked(tarballPath, (prebuilds) => {
    const info = peInfo(join(prebuilds, jobLauncherFile));
    if (info.arch !== 'x64' || info.dll || info.subsystem !== 'console') {
      return [`prebuilds/${jobLauncherFile} is ${info.arch} ${info.dll ? 'DLL' : 'executable'} (${info.subsystem}), expected an x64 console executable`];
    }
    process.stderr.write(`ok   prebuild ${jobLauncherFile}: PE ${info.arch} console executable\n`);
    return [];
  });
}

/** @returns {string[]} one line per problem; empty when the tarball's prebuilds are right */
export function checkPrebuilds(tarballPath) {
  return unpacked(tarballPath, (prebuilds) => {
    const problems = [];
    const found = readdirSync(prebuilds, { recursive: true })
      .filter((file) => String(file).endsWith('.node'))
      .map((file) => String(file).replaceAll('\\', '/'));
    for (const target of prebuildTargets) {
      if (!found.includes(target.file)) problems.push(`missing prebuilds/${target.file}`);
    }
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
    return problems;
  });
}
