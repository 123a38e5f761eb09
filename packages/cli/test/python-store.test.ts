import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRawZip } from '../../packager/test/helpers/raw-zip.js';
import { buildPythonZip, buildSdkWheel, pythonSdkOrSkipReason, readZipEntries, testPython } from '../../runner/test/store-fixtures/python-zips.js';
import { binPath, runCli, temporaryFolder, type CliRun } from './cli-helpers.js';

const setup = pythonSdkOrSkipReason();
if ('skip' in setup) console.log(`python-store.test.ts ${setup.skip}`);
const image = fileURLToPath(new URL('../../../examples/algorithm-example/samples/ok.png', import.meta.url));

/** The CLI in `unshare -n` (no network), as a factory station without internet runs it. */
function runCliOffline(args: readonly string[]): Promise<Pick<CliRun, 'code' | 'stdout' | 'stderr'>> {
  return new Promise((resolve, reject) => {
    const { NODE_PATH: _nodePath, ...environment } = process.env;
    const child = spawn('unshare', ['-n', process.execPath, binPath, ...args], { env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.skipIf('skip' in setup)('a platform team installs and runs a Python SDK zip with the CLI', () => {
  let folder: Awaited<ReturnType<typeof temporaryFolder>>;
  let store: string;
  const zips = { first: '', second: '', otherPlatform: '' };

  beforeAll(async () => {
    if ('skip' in setup) return;
    folder = await temporaryFolder('python-store');
    const wheel = buildSdkWheel(setup.sdk, folder.path);
    zips.first = buildPythonZip(setup.sdk, wheel, folder.path, { version: '1.0.0' });
    zips.second = buildPythonZip(setup.sdk, wheel, folder.path, { version: '1.1.0' });
    zips.otherPlatform = join(folder.path, 'other-platform.zip');
    writeFileSync(
      zips.otherPlatform,
      writeRawZip([...readZipEntries(zips.first), { name: 'wheels/numpy-1.26.4-cp310-cp310-win_amd64.whl', data: Buffer.from('x') }]),
    );
    store = join(folder.path, 'runtime_store');
    mkdirSync(store);
    writeFileSync(join(store, 'config.json'), JSON.stringify({ python: testPython, python_system_site_packages: true }));
  }, 120_000);
  afterAll(() => folder?.remove());

  it('validate --zip, install offline, list, activate, exec OK, upgrade, rollback, uninstall', async () => {
    const validated = await runCli(['validate', '--zip', zips.first, '--python', testPython, '--json']);
    expect(validated.code, validated.stdout + validated.stderr).toBe(0);
    expect(validated.json<{ checks: Array<{ name: string; result: string }> }>().checks.map((check) => `${check.name} ${check.result}`)).toEqual([
      'zip structure and integrity PASS',
      'zip signature WARN',
      'zip manifest PASS',
      'zip sbom PASS',
      'zip python environment PASS',
    ]);
    const refused = await runCli(['validate', '--zip', zips.otherPlatform, '--python', testPython]);
    expect(refused.code).toBe(1);
    expect(refused.stdout + refused.stderr).toMatch(/win_amd64.*another platform.*2024/s);

    for (const zip of [zips.first, zips.second]) {
      const installed = await runCliOffline(['runner', 'install', zip, '--store', store, '--json']);
      expect(installed.code, installed.stderr).toBe(0);
    }
    const listed = await runCli(['runner', 'list', '--store', store]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/algorithm-example 1\.0\.0 {2}python 3\.\d+ \(\.venv\/bin\/python from .*python3.*, SDK v0\.3\.2\) {2}deployed {2}PIDs any/);

    const activated = await runCli(['runner', 'activate', 'algorithm-example', '1.0.0', '--pid', 'A01', '--store', store, '--json']);
    expect(activated.code, activated.stderr).toBe(0);
    const executed = await runCli(['runner', 'exec', '--pid', 'A01', '--image', image, '--store', store, '--json']);
    expect(executed.code, executed.stdout + executed.stderr).toBe(0);
    expect(executed.json()).toMatchObject({ package: { name: 'algorithm-example', version: '1.0.0' }, status: 'OK' });

    const upgraded = await runCli(['runner', 'activate', 'algorithm-example', '1.1.0', '--pid', 'A01', '--store', store, '--json']);
    expect(upgraded.code, upgraded.stderr).toBe(0);
    const upgradedExec = await runCli(['runner', 'exec', '--pid', 'A01', '--image', image, '--store', store, '--json']);
    expect(upgradedExec.json()).toMatchObject({ package: { version: '1.1.0' }, status: 'OK' });
    const rolledBack = await runCli(['runner', 'rollback', 'algorithm-example', '--pid', 'A01', '--store', store, '--json']);
    expect(rolledBack.code, rolledBack.stderr).toBe(0);
    expect(rolledBack.json<{ active: Record<string, { version: string }> }>().active['A01']).toMatchObject({ version: '1.0.0' });
    const removed = await runCli(['runner', 'uninstall', 'algorithm-example', '1.1.0', '--store', store, '--json']);
    expect(removed.code, removed.stderr).toBe(0);
    const after = await runCli(['runner', 'list', '--store', store, '--json']);
    expect(after.json<{ packages: Array<{ version: string; kind: string }> }>().packages).toEqual([
      expect.objectContaining({ version: '1.0.0', kind: 'python' }),
    ]);
  }, 300_000);
});
