// The mmap addon binaries in the @procvision/shm tarball: every required target is there
// (packages/shm/scripts/build-prebuilds.mjs lists them) and each binary's ELF header says the
// CPU of its folder and its DT_NEEDED the libc of its name, and prebuilds/source.sha256 names the
// C source the tarball ships (the binaries are committed; rebuilt with `pnpm --filter
// @procvision/shm prebuilds`). Called by check-publish.mjs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nativeSourceDigest, prebuildTargets, recordedSourceDigest } from '../packages/shm/scripts/build-prebuilds.mjs';
import { elfInfo } from '../packages/shm/scripts/elf-info.mjs';

/** @returns {string[]} one line per problem; empty when the tarball's prebuilds are right */
export function checkPrebuilds(tarballPath) {
  const scratch = mkdtempSync(join(tmpdir(), 'pv-prebuilds-'));
  const problems = [];
  try {
    execFileSync('tar', ['-xzf', tarballPath, '-C', scratch]);
    const prebuilds = join(scratch, 'package', 'prebuilds');
    const found = readdirSync(prebuilds, { recursive: true })
      .filter((file) => String(file).endsWith('.node'))
      .map(String);
    for (const target of prebuildTargets) {
      const name = `${target.dir}/procvision_shm.napi.${target.libc}.node`;
      if (!found.includes(name)) problems.push(`missing prebuilds/${name}`);
    }
    const recorded = recordedSourceDigest(prebuilds);
    const source = nativeSourceDigest(join(scratch, 'package'));
    if (recorded !== source)
      problems.push(
        `prebuilds/source.sha256 (${recorded ?? 'missing'}) is not the sha256 of native/shm_segment.c (${source}): the binaries were built from another source; run pnpm --filter @procvision/shm prebuilds and commit prebuilds/`,
      );
    else process.stderr.write(`ok   prebuilds built from native/shm_segment.c ${source.slice(0, 12)}\n`);
    for (const file of found) {
      const [dir = '', base = ''] = file.split('/');
      const expectedArch = dir.split('-')[1];
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
