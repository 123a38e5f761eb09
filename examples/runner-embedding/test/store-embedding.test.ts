import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildExampleZip } from './example-zip.js';
import { runBuiltScript } from './run-script.js';

const workDir = mkdtempSync(join(tmpdir(), 'runner-embedding-test-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** The temporary store folder the script reports, which must be gone afterwards. */
function reportedStore(stdout: string): string {
  const root = /^store opened at (.+)$/m.exec(stdout)?.[1];
  expect(root).toBeDefined();
  return root!;
}

describe('dist/store-embedding.js (the embedded package store)', () => {
  it('opens an empty store, lists it, and removes it', async () => {
    const run = await runBuiltScript('store-embedding');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('0 package(s) installed');
    expect(run.stdout).toContain("await store.activate(entry.name, entry.version, ['p001'])");
    expect(existsSync(reportedStore(run.stdout))).toBe(false);
  });

  it('reports a damaged zip with its store error code and exits 1', async () => {
    const zipPath = join(workDir, 'broken.zip');
    writeFileSync(zipPath, 'not a zip');
    const run = await runBuiltScript('store-embedding', [zipPath]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('store error 2001 invalid_zip');
    expect(existsSync(reportedStore(run.stdout))).toBe(false);
  });

  it('installs the packaged example offline and activates it for p001', async () => {
    const zipPath = await buildExampleZip(workDir);
    const run = await runBuiltScript('store-embedding', [zipPath, 'p001']);
    expect(run.stderr).not.toContain('store error');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('installed algorithm-example@1.0.0 for pids p001,p002');
    expect(run.stdout).toMatch(/pid p001 runs algorithm-example@1\.0\.0 from \S+deployed\/algorithm-example\/1\.0\.0/);
    expect(run.stdout).toContain('algorithm-example@1.0.0 running active for [p001]');
    expect(existsSync(reportedStore(run.stdout))).toBe(false);
  }, 120_000);
});
