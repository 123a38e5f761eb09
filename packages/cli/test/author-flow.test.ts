import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scaffold, temporaryFolder } from './cli-helpers.js';

interface ValidateDocument {
  summary: { status: string; passed: number; failed: number; warnings: number };
  checks: Array<{ name: string; result: string; message: string }>;
}

interface RunDocument {
  status: string;
  result_status: string | null;
  pre_execute: { status: string; data?: { calibration_rects?: unknown[] } };
  execute: { status: string; data?: { result_status?: string; defect_rects?: Array<{ x: number; y: number; width: number; height: number }> } } | null;
  timings: Record<string, number>;
  report?: { directory: string; annotated: string; html: string; json: string };
}

describe('a fresh scaffold outside the repository', () => {
  let folder: Awaited<ReturnType<typeof temporaryFolder>>;
  let project: string;
  let zipPath: string | undefined;

  beforeAll(async () => {
    folder = await temporaryFolder('author');
    project = await scaffold(folder.path);
  });
  afterAll(() => folder.remove());

  it('has the files of the scaffold and links the CLI sdk', () => {
    for (const file of [
      'manifest.json',
      'package.json',
      'tsconfig.json',
      'src/main.ts',
      'test/main.test.mjs',
      'samples/ok.png',
      'samples/ng.png',
      'dist/main.js',
    ]) {
      expect(existsSync(join(project, file)), file).toBe(true);
    }
    const manifest = JSON.parse(readFileSync(join(project, 'manifest.json'), 'utf8')) as { supported_pids: string[]; entry_point: string };
    expect(manifest.supported_pids).toEqual(['A01', 'A02']);
    expect(manifest.entry_point).toBe('dist/main.js:Demo');
    expect(realpathSync(join(project, 'node_modules/@procvision/sdk'))).toBe(realpathSync(new URL('../../sdk', import.meta.url)));
    expect(readFileSync(join(project, 'src/main.ts'), 'utf8')).toContain('CHANGE:');
  });

  it('passes validate unchanged', async () => {
    const run = await runCli(['validate', project, '--json']);
    const document = run.json<ValidateDocument>();
    expect(document.summary, JSON.stringify(document.checks, null, 2)).toMatchObject({ status: 'PASS', failed: 0 });
    expect(run.code).toBe(0);
    const names = document.checks.map((check) => check.name);
    for (const name of [
      'manifest fields',
      'entry import',
      'extends BaseAlgorithm',
      'getInfo() shape',
      'manifest/info consistency',
      'step schemas',
      'required assets',
    ]) {
      expect(names).toContain(name);
    }
    expect(names.some((name) => name.startsWith('smoke execute'))).toBe(true);
  });

  it('runs OK and NG samples, exit 0 either way', async () => {
    const ok = await runCli(['run', project, '--pid', 'A01', '--image', join(project, 'samples/ok.png'), '--json']);
    expect(ok.code).toBe(0);
    expect(ok.json<RunDocument>()).toMatchObject({ status: 'OK', result_status: 'OK', pre_execute: { status: 'OK' }, execute: { status: 'OK' } });
    const ng = await runCli(['run', project, '--pid', 'A02', '--image', join(project, 'samples/ng.png'), '--params', '{"dark_threshold": 80}', '--json']);
    expect(ng.code).toBe(0);
    const document = ng.json<RunDocument>();
    expect(document.result_status).toBe('NG');
    expect(document.execute?.data?.defect_rects?.length).toBeGreaterThan(0);
    expect(document.timings['execute_ms']).toBeGreaterThan(0);
  });

  it('writes a report whose annotated.png shows the defect rect', async () => {
    const reportDir = join(folder.path, 'report');
    const run = await runCli(['run', project, '--pid', 'A01', '--image', join(project, 'samples/ng.png'), '--report', reportDir, '--json']);
    expect(run.code).toBe(0);
    const document = run.json<RunDocument>();
    for (const file of ['report.json', 'report.html', 'annotated.png']) expect(existsSync(join(reportDir, file)), file).toBe(true);
    expect(JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8'))).toMatchObject({ pid: 'A01', step: 1, execute: { data: { result_status: 'NG' } } });
    expect(readFileSync(join(reportDir, 'report.html'), 'utf8')).toContain('annotated.png');
    // What the scaffold publishes through this.diagnostics reaches the --json document and the report.
    expect(run.json<{ diagnostics?: unknown }>().diagnostics).toEqual({ dark_threshold: expect.any(Number) });
    expect(JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')).diagnostics).toEqual({ dark_threshold: expect.any(Number) });
    expect(readFileSync(join(reportDir, 'report.html'), 'utf8')).toContain('<h2>diagnostics</h2>');
    const rect = document.execute?.data?.defect_rects?.[0];
    expect(rect).toBeDefined();
    const { default: sharp } = await import('sharp');
    const pixel = async (file: string, x: number, y: number) => {
      const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      const offset = (y * info.width + x) * 3;
      return [data[offset], data[offset + 1], data[offset + 2]];
    };
    const inside = { x: rect!.x + Math.floor(rect!.width / 2), y: rect!.y + Math.floor(rect!.height / 2) };
    const before = await pixel(join(project, 'samples/ng.png'), inside.x, inside.y);
    const after = await pixel(join(reportDir, 'annotated.png'), inside.x, inside.y);
    expect(after).not.toEqual(before);
    expect(after[0]!).toBeGreaterThan(before[0]!); // tinted red
    const border = await pixel(join(reportDir, 'annotated.png'), rect!.x, rect!.y + Math.floor(rect!.height / 2));
    expect(border[0]!).toBeGreaterThan(200);
  });

  it("passes the scaffold's own test with node --test", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--test', 'test/'], { cwd: project });
    expect(stdout).toMatch(/# pass 3/);
  });

  it('packages, and the zip passes validate --zip', async () => {
    const output = join(folder.path, 'release');
    const key = join(folder.path, 'release-key.pem');
    await writeFile(key, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const run = await runCli(['package', project, '-o', output, '--sign-key', key, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const document = run.json<{ zips: Array<{ path: string; name: string; target: string; dependencies: string[]; signer_key_id: string | null }> }>();
    const zip = document.zips[0]!;
    expect(zip.name).toBe('demo');
    expect(zip.signer_key_id).toMatch(/^SHA256:/);
    expect(zip.dependencies.some((dependency) => dependency.startsWith('@procvision/sdk@'))).toBe(true);
    expect(existsSync(zip.path)).toBe(true);
    const verified = await runCli(['validate', '--zip', zip.path, '--json'], { cwd: folder.path });
    expect(verified.code).toBe(0);
    const checks = verified.json<ValidateDocument>().checks;
    expect(checks.find((check) => check.name === 'zip structure and integrity')?.result).toBe('PASS');
    expect(checks.find((check) => check.name === 'zip signature')?.message).toContain(zip.signer_key_id);
    zipPath = zip.path;
  }, 180_000);

  it('installs into a store, activates, execs through the installed package, guards uninstall', async () => {
    expect(zipPath, 'the package test runs first').toBeDefined();
    const store = join(folder.path, 'runtime_store');
    const installed = await runCli(['runner', 'install', zipPath!, '--store', store, '--json']);
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.json()).toMatchObject({ name: 'demo', version: '1.0.0', supported_pids: ['A01', 'A02'] });

    const activated = await runCli(['runner', 'activate', 'demo', '1.0.0', '--pid', 'A01,A02', '--store', store, '--json']);
    expect(activated.code, activated.stderr).toBe(0);
    expect(activated.json()).toMatchObject({ active: { A01: { name: 'demo', version: '1.0.0' }, A02: { name: 'demo', version: '1.0.0' } } });

    const listed = await runCli(['runner', 'list', '--json'], { env: { PROCVISION_STORE: store } });
    expect(listed.code).toBe(0);
    expect(listed.json<{ packages: Array<{ name: string; active_pids: string[] }> }>().packages).toMatchObject([{ name: 'demo', active_pids: ['A01', 'A02'] }]);

    const exec = await runCli(['runner', 'exec', '--pid', 'A02', '--image', join(project, 'samples/ng.png'), '--store', store, '--json']);
    expect(exec.code, exec.stderr).toBe(0);
    expect(exec.json()).toMatchObject({ package: { name: 'demo', version: '1.0.0' }, status: 'OK', result_status: 'NG' });
    expect(realpathSync(join(store, 'algorithms/deployed/demo/1.0.0/node_modules/@procvision/sdk'))).not.toContain('packages/sdk');

    const unknownPid = await runCli(['runner', 'exec', '--pid', 'Z99', '--image', join(project, 'samples/ok.png'), '--store', store, '--json']);
    expect(unknownPid.code).toBe(2);
    expect(unknownPid.json()).toMatchObject({ error: { code: '2006' } });
    // The hint works when pasted: no package supports Z99, so it lists the store instead of
    // suggesting an activate that would fail.
    const hint = unknownPid.json<{ error: { message: string; example: string } }>().error;
    expect(hint.message).toContain('no installed package supports Z99; installed: demo 1.0.0 (A01, A02)');
    expect(hint.example).toBe(`procvision runner list --store ${store}`);
    expect((await runCli(hint.example.split(' ').slice(1))).code).toBe(0);

    const rollback = await runCli(['runner', 'rollback', 'demo', '--pid', 'A01', '--store', store, '--json']);
    expect(rollback.code).toBe(1);
    expect(rollback.json()).toMatchObject({ error: { code: '2006' } });

    const refused = await runCli(['runner', 'uninstall', 'demo', '1.0.0', '--store', store, '--json']);
    expect(refused.code).toBe(1);
    expect(refused.json()).toMatchObject({ error: { code: '2007' } });
    const forced = await runCli(['runner', 'uninstall', 'demo', '1.0.0', '--force', '--store', store, '--json']);
    expect(forced.code, forced.stderr).toBe(0);
  }, 180_000);
});
