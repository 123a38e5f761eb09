import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs build scripts, no declarations
import { nativeSourceDigest, prebuildTargets, recordedSourceDigest } from '../scripts/build-prebuilds.mjs';
// @ts-expect-error plain .mjs build scripts, no declarations
import { elfInfo } from '../scripts/elf-info.mjs';
// @ts-expect-error plain .mjs build scripts, no declarations
import { peInfo } from '../scripts/pe-info.mjs';

const exec = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const targets = prebuildTargets as Array<{ dir: string; libc: string | undefined; arch: string; file: string; format: 'elf' | 'pe' }>;
const readElf = elfInfo as (path: string) => { arch: string; libc: string; needed: string[] };
const readPe = peInfo as (path: string) => { arch: string; dll: boolean; subsystem: string; imports: string[] };

// The published layout (package.json, dist/, prebuilds/, no build/), inside the package folder so
// that its dependencies resolve from packages/shm/node_modules as they would from an install.
const layout = mkdtempSync(join(packageDir, '.published-layout-'));
for (const entry of ['package.json', 'dist', 'prebuilds']) cpSync(join(packageDir, entry), join(layout, entry), { recursive: true });
afterAll(() => rmSync(layout, { recursive: true, force: true }));

async function backendIn(env: Record<string, string>): Promise<{ kind: string; reason: string; stderr: string }> {
  const script = `const shm = await import(${JSON.stringify(join(layout, 'dist', 'index.js'))}); console.log(JSON.stringify({ kind: shm.mmapBackendKind(), reason: shm.mmapBackendReason() }));`;
  const { stdout, stderr } = await exec(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ...env } });
  return { ...(JSON.parse(stdout) as { kind: string; reason: string }), stderr };
}

describe('prebuilt mmap addons (node-gyp-build layout, N-API)', () => {
  it.each(targets.filter((target) => target.format === 'elf').map((target) => [`${target.dir} ${target.libc}`, target] as const))(
    '%s: present, and its ELF header names that CPU and libc',
    (_name, target) => {
      const file = join(packageDir, 'prebuilds', target.file);
      expect(existsSync(file), file).toBe(true);
      expect(readElf(file)).toMatchObject({ arch: target.arch, libc: target.libc });
    },
  );

  it('win32-x64: present, a PE DLL for x64 that imports the N-API functions from node.exe', () => {
    const target = targets.find((candidate) => candidate.format === 'pe')!;
    const file = join(packageDir, 'prebuilds', target.file);
    expect(existsSync(file), file).toBe(true);
    expect(readPe(file)).toMatchObject({ arch: 'x64', dll: true, imports: expect.arrayContaining(['node.exe', 'KERNEL32.dll']) });
  });

  it('prebuilds/source.sha256 names the C source they were built from (rebuild: pnpm --filter @procvision/shm prebuilds)', () => {
    const recorded = (recordedSourceDigest as (dir: string) => string | undefined)(join(packageDir, 'prebuilds'));
    expect(recorded).toBe((nativeSourceDigest as () => string)());
  });

  it('no binding.gyp in the package root: installs (pnpm detects one there) never run node-gyp', () => {
    expect(existsSync(join(packageDir, 'binding.gyp'))).toBe(false);
    expect(existsSync(join(packageDir, 'native', 'binding.gyp'))).toBe(true);
  });

  it('the published layout loads the prebuild for this machine: native backend', async () => {
    if (process.platform !== 'linux' || process.arch !== 'x64') return;
    const backend = await backendIn({});
    expect(backend).toMatchObject({ kind: 'native', reason: 'native addon loaded' });
  });

  it('a platform without a prebuild falls back to the file backend with the warning', async () => {
    const backend = await backendIn({ npm_config_arch: 'riscv64' });
    expect(backend.kind).toBe('file');
    expect(backend.reason).toMatch(/native addon unavailable \(No native build was found/);
    expect(backend.stderr).toMatch(/@procvision\/shm: native addon unavailable .* mmap: ids use the file backend/);
  });
});
