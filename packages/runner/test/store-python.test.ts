import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSigningKey, signPythonDeliveryZip } from '@procvision/packager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRawZip, type RawEntry } from '../../packager/test/helpers/raw-zip.js';
import { createRunnerService } from '../src/http/index.js';
import { PackageStore, type StartedProcess } from '../src/store/index.js';
import { auditRecords, runFixtureScript, storeSnapshot, temporaryFolder } from './store-fixtures/store-fixtures.js';
import { buildPythonZip, buildSdkWheel, pythonSdkOrSkipReason, readZipEntries, testPython } from './store-fixtures/python-zips.js';

const setup = pythonSdkOrSkipReason();
if ('skip' in setup) console.log(`store-python.test.ts ${setup.skip}`);
const folder = temporaryFolder('procvision-store-python-');
afterAll(() => folder.cleanup());
const zips = { first: '', second: '' };
let realEntries: RawEntry[] = [];
const signer = generateSigningKey();
const noProcess = async (): Promise<StartedProcess> => ({ stop: () => Promise.resolve() });
let storeCount = 0;

/** A store whose config.json sets the test interpreter and (for numpy from Debian) system site-packages. */
async function freshStore(config: Record<string, unknown> = {}, options: Parameters<typeof PackageStore.open>[1] = {}): Promise<PackageStore> {
  storeCount += 1;
  const root = join(folder.path, `store-${String(storeCount)}`);
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'config.json'), JSON.stringify({ python: testPython, python_system_site_packages: true, ...config }));
  return PackageStore.open(root, options);
}

let variantCount = 0;
function variant(change: (entries: RawEntry[]) => RawEntry[]): string {
  variantCount += 1;
  const path = join(folder.path, `hostile-${String(variantCount)}.zip`);
  writeFileSync(path, writeRawZip(change(realEntries.map((entry) => ({ ...entry })))));
  return path;
}
const replaced =
  (name: string, data: string) =>
  (entries: RawEntry[]): RawEntry[] =>
    entries.map((entry) => (entry.name === name ? { ...entry, data: Buffer.from(data) } : entry));
const added =
  (...extra: RawEntry[]) =>
  (entries: RawEntry[]): RawEntry[] => [...entries, ...extra];
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

beforeAll(() => {
  if ('skip' in setup) return;
  const wheel = buildSdkWheel(setup.sdk, folder.path);
  zips.first = buildPythonZip(setup.sdk, wheel, folder.path, { version: '1.0.0' });
  zips.second = buildPythonZip(setup.sdk, wheel, folder.path, { version: '1.1.0' });
  realEntries = readZipEntries(zips.first);
}, 120_000);

describe.skipIf('skip' in setup)('the package store with Python SDK delivery zips', () => {
  it('recognises the real v0.3.2 `procvision-cli package` layout', () => {
    const names = realEntries.map((entry) => String(entry.name)).sort();
    expect(names).toEqual(
      expect.arrayContaining([
        'algorithm-example/manifest.json',
        'algorithm-example/requirements.txt',
        'algorithm-example/requirements.sanitized.txt',
        'algorithm-example/deploy_bootstrap.json',
        'wheels/procvision_algorithm_sdk-0.3.2-py3-none-any.whl',
      ]),
    );
  });

  it('installs with no network into a venv, records hashes, activates, switches, rolls back and uninstalls', async () => {
    const store = await freshStore();
    const installed = await runFixtureScript('install-zip.mjs', [store.paths.root, zips.first], { noNetwork: true });
    expect(JSON.parse(installed.stdout.trim())).toMatchObject({ ok: true, name: 'algorithm-example', version: '1.0.0' });
    const [entry] = await store.list();
    expect(entry).toMatchObject({
      kind: 'python',
      name: 'algorithm-example',
      version: '1.0.0',
      supported_pids: [],
      entry_point: 'algorithm_example.main:AlgorithmExample',
      signer_key_id: null,
      dependency_count: 1,
    });
    expect(entry?.python).toMatchObject({
      interpreter: testPython,
      python_version: expect.stringMatching(/^3\.\d+$/),
      venv: '.venv',
      venv_python: join('.venv', 'bin', 'python'),
      system_site_packages: true,
      generation: 'v0.3.2',
      sdk_version: '0.3.2',
      folder: 'algorithm-example',
    });
    expect(entry?.zip_sha256).toBe(sha256(readFileSync(zips.first)));
    const root = join(store.paths.deployed, 'algorithm-example', '1.0.0');
    const listing = readFileSync(join(root, '.procvision-files.sha256'), 'utf8');
    expect(sha256(Buffer.from(listing))).toBe(entry?.delivery_sha256);
    expect(listing).toContain(`${sha256(readFileSync(join(root, 'manifest.json')))}  algorithm-example/manifest.json\n`);
    expect(listing).toContain(`${sha256(readFileSync(join(root, 'algorithm_example', 'main.py')))}  algorithm-example/algorithm_example/main.py\n`);
    const imported = execFileSync(
      join(root, '.venv', 'bin', 'python'),
      ['-c', 'import procvision_algorithm_sdk, os; print(os.path.dirname(procvision_algorithm_sdk.__file__))'],
      { encoding: 'utf8' },
    );
    expect(imported.trim().startsWith(join(root, '.venv'))).toBe(true);

    await store.activate('algorithm-example', '1.0.0', ['A01'], { processStarter: noProcess });
    expect(await store.install(zips.second)).toMatchObject({ kind: 'python', version: '1.1.0' });
    await expect(store.install(zips.second)).rejects.toMatchObject({ code: '2010', message: expect.stringMatching(/already installed/) });
    await store.switch('algorithm-example', '1.1.0', ['A01'], { processStarter: noProcess });
    expect((await store.bindings())['A01']).toMatchObject({ version: '1.1.0', previous: { version: '1.0.0' } });
    await store.rollback('algorithm-example', 'A01', { processStarter: noProcess });
    expect((await store.resolveActive('A01')).version).toBe('1.0.0');
    await expect(store.uninstall('algorithm-example', '1.0.0')).rejects.toMatchObject({ code: '2007' });
    await store.uninstall('algorithm-example', '1.1.0');
    expect(existsSync(join(store.paths.deployed, 'algorithm-example', '1.1.0'))).toBe(false);
    expect((await store.list()).map((item) => item.version)).toEqual(['1.0.0']);
    expect(auditRecords(store.paths.root).map((record) => `${String(record.operation)} ${String(record.outcome)}`)).toEqual([
      'install ok',
      'activate ok',
      'install ok',
      'install error',
      'switch ok',
      'rollback ok',
      'uninstall error',
      'uninstall ok',
    ]);
    await store.close();
  }, 180_000);

  it.each([
    ['a ../ name', '2001', () => variant(added({ name: 'algorithm-example/../../escape.py', data: Buffer.from('x') })), /path traversal/],
    ['an absolute name', '2001', () => variant(added({ name: '/etc/cron.d/evil', data: Buffer.from('x') })), /absolute/],
    [
      'a symlink entry',
      '2001',
      () => variant(added({ name: 'algorithm-example/link', data: Buffer.from('/etc/passwd'), method: 0, unixMode: 0o120777 })),
      /symbolic link/,
    ],
    ['a zip bomb (>1000:1)', '2001', () => variant(added({ name: 'algorithm-example/bomb.bin', data: Buffer.alloc(20 * 1024 * 1024) })), /zip bomb/],
    [
      'a duplicate name',
      '2001',
      () => variant((entries) => [...entries, entries.find((entry) => entry.name === 'algorithm-example/manifest.json') as RawEntry]),
      /duplicate/,
    ],
    ['a file outside the project folder', '2001', () => variant(added({ name: 'evil.py', data: Buffer.from('x') })), /outside the project folder/],
    [
      'a wheel for another platform',
      '2024',
      () => variant(added({ name: 'wheels/numpy-1.26.4-cp310-cp310-win_amd64.whl', data: Buffer.from('not really a wheel') })),
      /numpy-1\.26\.4-cp310-cp310-win_amd64\.whl.*another platform/s,
    ],
    [
      'a requirement with no wheel',
      '2023',
      () => variant(replaced('algorithm-example/requirements.txt', 'procvision-algorithm-sdk==0.3.2\nopencv-python==4.9.0.80\n')),
      /opencv-python.*no wheel/,
    ],
    [
      'a requirement no wheel satisfies',
      '2023',
      () => variant(replaced('algorithm-example/requirements.txt', 'procvision-algorithm-sdk>=1.0\n')),
      /procvision-algorithm-sdk.*not satisfied/,
    ],
    [
      'an index option in requirements.txt',
      '2022',
      () => variant(replaced('algorithm-example/requirements.txt', '--index-url https://pypi.org/simple\nprocvision-algorithm-sdk==0.3.2\n')),
      /line 1.*--index-url/,
    ],
    [
      'a source distribution',
      '2025',
      () => variant(added({ name: 'wheels/helper-1.0.tar.gz', data: Buffer.from('sdist') })),
      /helper-1\.0\.tar\.gz.*source distribution/,
    ],
    [
      'deploy_bootstrap.json for another Python',
      '2021',
      () =>
        variant(
          replaced('algorithm-example/deploy_bootstrap.json', '{"has_embedded_python": false, "python_version": "3.7", "abi": "cp37", "implementation": ""}'),
        ),
      /python_version is "3\.7"/,
    ],
    [
      'an entry point that is not module:Class',
      '2020',
      () =>
        variant(replaced('algorithm-example/manifest.json', '{"name": "algorithm-example", "version": "1.0.0", "entry_point": "algorithm_example/main.py"}')),
      /entry_point/,
    ],
  ])(
    'refuses %s (%s), store unchanged',
    async (_label, code, makeZip, message) => {
      const store = await freshStore();
      const before = storeSnapshot(store.paths.root);
      await expect(store.install(makeZip())).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
      expect(storeSnapshot(store.paths.root)).toEqual(before);
    },
    60_000,
  );

  it('refuses an entry point that does not import (2028) and a dependency missing from wheels/ (2027), store unchanged', async () => {
    const broken = variant(replaced('algorithm-example/algorithm_example/main.py', 'raise RuntimeError("entry point explodes at import")\n'));
    const store = await freshStore();
    const before = storeSnapshot(store.paths.root);
    await expect(store.install(broken)).rejects.toMatchObject({ code: '2028', message: expect.stringMatching(/explodes at import/) });
    expect(storeSnapshot(store.paths.root)).toEqual(before);
    const isolated = await freshStore({ python_system_site_packages: false });
    const isolatedBefore = storeSnapshot(isolated.paths.root);
    await expect(isolated.install(zips.first)).rejects.toMatchObject({ code: '2027', message: expect.stringMatching(/numpy/) });
    expect(storeSnapshot(isolated.paths.root)).toEqual(isolatedBefore);
  }, 120_000);

  it('checks the same detached SIGNATURE as our zips: unsigned refused when required, signed verified, altered refused', async () => {
    const store = await freshStore({}, { requireSignature: true, trustedKeys: [signer.publicKeyPem] });
    const before = storeSnapshot(store.paths.root);
    await expect(store.install(zips.first)).rejects.toMatchObject({ code: '2008', message: expect.stringMatching(/SIGNATURE.*signatures are required/) });
    const signed = join(folder.path, 'signed.zip');
    expect(await signPythonDeliveryZip(zips.first, signer.privateKeyPem, signed)).toBe(signer.keyId);
    const signedEntries = readZipEntries(signed);
    const altered = join(folder.path, 'signed-altered.zip');
    writeFileSync(
      altered,
      writeRawZip(
        signedEntries.map((entry) =>
          entry.name === 'algorithm-example/algorithm_example/main.py' ? { ...entry, data: Buffer.concat([entry.data, Buffer.from('\n# changed\n')]) } : entry,
        ),
      ),
    );
    await expect(store.install(altered)).rejects.toMatchObject({ code: '2008' });
    expect(storeSnapshot(store.paths.root)).toEqual(before);
    expect(await store.install(signed)).toMatchObject({ kind: 'python', signer_key_id: signer.keyId });
  }, 120_000);

  it('the HTTP service validates, installs, activates and executes a Python package like ours', async () => {
    const store = await freshStore();
    const service = createRunnerService({ store, port: 0, logger: { log() {} } });
    const url = await service.listen();
    const call = async (method: string, path: string, body?: unknown, type = 'application/json') => {
      const response = await fetch(`${url}${path}`, {
        method,
        ...(body === undefined ? {} : { body: body instanceof Uint8Array ? body : JSON.stringify(body), headers: { 'content-type': type } }),
      });
      return { status: response.status, json: (await response.json()) as Record<string, any> };
    };
    try {
      const valid = await call('POST', '/validate', readFileSync(zips.first), 'application/zip');
      expect(valid).toMatchObject({
        status: 200,
        json: { valid: true, kind: 'python', name: 'algorithm-example', generation: 'v0.3.2', interpreter: { python_version: expect.stringMatching(/^3\./) } },
      });
      const otherPlatform = variant(added({ name: 'wheels/numpy-1.26.4-cp310-cp310-win_amd64.whl', data: Buffer.from('x') }));
      expect(await call('POST', '/validate', { path: otherPlatform })).toMatchObject({ status: 422, json: { error: { code: '2024' } } });
      expect((await call('POST', '/packages', { path: zips.first })).status).toBeLessThan(300);
      expect((await call('POST', '/packages/algorithm-example/1.0.0/activate', { pids: ['A01'] })).status).toBe(200);
      const image = readFileSync(fileURLToPath(new URL('../../../examples/algorithm-example/samples/ok.png', import.meta.url))).toString('base64');
      const executed = await call('POST', '/execute', { pid: 'A01', step_index: 2, image });
      expect(executed).toMatchObject({ status: 200, json: { status: 'OK', result_status: 'OK' } });
    } finally {
      await service.close();
      await store.close();
    }
  }, 180_000);
});
