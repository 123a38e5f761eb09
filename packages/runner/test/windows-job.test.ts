import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs build script, no declarations
import { jobLauncherDigest, jobLauncherFile, recordedJobLauncherDigest } from '../scripts/build-job-launcher.mjs';
// @ts-expect-error plain .mjs build script, no declarations
import { peInfo } from '../../shm/scripts/pe-info.mjs';
import { inWindowsJob, windowsJobLauncher } from '../src/process/windows-job.js';

// The Job Object itself runs in `pnpm test:windows` (scripts/windows/process.test.mjs, under
// Wine); here: the launcher binary and the platform switch.
describe('the Windows job launcher', () => {
  it('is committed in prebuilds/ as an x64 console executable (mingw-w64)', () => {
    const path = fileURLToPath(new URL(`../prebuilds/${jobLauncherFile as string}`, import.meta.url));
    expect(existsSync(path), path).toBe(true);
    expect(windowsJobLauncher()).toBe(path);
    expect((peInfo as (file: string) => unknown)(path)).toMatchObject({
      arch: 'x64',
      dll: false,
      subsystem: 'console',
      imports: expect.arrayContaining(['KERNEL32.dll']),
    });
  });

  it('prebuilds/source.sha256 names the C source it was built from (rebuild: pnpm --filter @procvision/runner prebuilds)', () => {
    expect((recordedJobLauncherDigest as () => string | undefined)()).toBe((jobLauncherDigest as () => string)());
  });

  it('wraps nothing outside Windows: the adapter command is spawned as given', () => {
    expect(inWindowsJob(process.execPath, ['adapter.js', '--flag'])).toEqual({ command: process.execPath, args: ['adapter.js', '--flag'], contained: false });
  });
});
