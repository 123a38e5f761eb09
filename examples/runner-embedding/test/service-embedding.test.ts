import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildExampleZip } from './example-zip.js';
import { runBuiltScript } from './run-script.js';

const workDir = mkdtempSync(join(tmpdir(), 'runner-embedding-service-test-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** The temporary store folder the script reports, which must be gone afterwards. */
function reportedStore(stdout: string): string {
  const root = /^service listening on http:\/\/127\.0\.0\.1:\d+ over (.+)$/m.exec(stdout)?.[1];
  expect(root).toBeDefined();
  return root!;
}

describe('dist/service-embedding.js (the embedded HTTP service and its client)', () => {
  it('serves an empty store on loopback, answers health, and removes it', async () => {
    const run = await runBuiltScript('service-embedding');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('health: ok');
    expect(run.stdout).toContain('0 package(s) installed');
    expect(existsSync(reportedStore(run.stdout))).toBe(false);
  });

  it('reports a damaged zip with the HTTP status and store code, and exits 1', async () => {
    const zipPath = join(workDir, 'broken.zip');
    writeFileSync(zipPath, 'not a zip');
    const run = await runBuiltScript('service-embedding', [zipPath]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/service error 4\d\d 2001 invalid_zip/);
    expect(existsSync(reportedStore(run.stdout))).toBe(false);
  });

  it('installs the packaged example over HTTP and activates it for p001', async () => {
    const zipPath = await buildExampleZip(workDir);
    const run = await runBuiltScript('service-embedding', [zipPath, 'p001']);
    // stderr carries the algorithm's own log lines (its process runs in the store); no error.
    expect(run.stderr).not.toContain('service error');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('installed algorithm-example@1.0.0');
    expect(run.stdout).toContain('algorithm-example@1.0.0 running active for [p001]');
    expect(existsSync(reportedStore(run.stdout))).toBe(false);
  }, 180_000);
});
