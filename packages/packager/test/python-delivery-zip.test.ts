import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  deliveryZipKind,
  extractPythonDeliveryZip,
  generateSigningKey,
  inspectPythonStation,
  signPythonDeliveryZip,
  verifyPythonDeliveryZip,
} from '../src/index.js';
import { writeRawZip, type RawEntry } from './helpers/raw-zip.js';

const python = process.env.PROCVISION_PYTHON ?? 'python3';
const hasPython = spawnSync(python, ['-c', 'import pip'], { encoding: 'utf8' }).status === 0;
if (!hasPython) console.log(`python-delivery-zip.test.ts skipped: ${python} with pip is missing (set PROCVISION_PYTHON)`);
const folder = mkdtempSync(join(tmpdir(), 'procvision-python-zip-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** The layout `procvision-cli package` writes; the SDK "wheel" is only looked at by name here. */
const entries = (overrides: Record<string, string | null> = {}): RawEntry[] => {
  const files: Record<string, string | null> = {
    'algo/manifest.json': JSON.stringify({ name: 'algo', version: '1.0.0', entry_point: 'algo_pkg.main:Algo' }),
    'algo/requirements.txt': 'procvision-algorithm-sdk==0.3.2\n',
    'algo/deploy_bootstrap.json': JSON.stringify({ has_embedded_python: false, python_version: '', abi: '', implementation: '' }),
    'algo/algo_pkg/__init__.py': '',
    'algo/algo_pkg/main.py': 'class Algo: pass\n',
    'wheels/procvision_algorithm_sdk-0.3.2-py3-none-any.whl': 'wheel bytes',
    ...overrides,
  };
  return Object.entries(files)
    .filter((entry): entry is [string, string] => entry[1] !== null)
    .map(([name, data]) => ({ name, data: Buffer.from(data) }));
};
let count = 0;
const zipOf = (list: RawEntry[]): string => {
  count += 1;
  const path = join(folder, `python-${String(count)}.zip`);
  writeFileSync(path, writeRawZip(list));
  return path;
};

describe.skipIf(!hasPython)('Python SDK delivery zips', () => {
  it('are told from ours by their layout', async () => {
    expect(await deliveryZipKind(zipOf(entries()))).toBe('python');
    expect(await deliveryZipKind(zipOf([{ name: 'manifest.json', data: Buffer.from('{}') }]))).toBe('npm');
  });

  it('verify against the interpreter: generation from the SDK wheel, listing, interpreter facts', async () => {
    const verified = await verifyPythonDeliveryZip(zipOf(entries()), { python });
    expect(verified).toMatchObject({
      kind: 'python',
      folder: 'algo',
      generation: 'v0.3.2',
      sdkVersion: '0.3.2',
      wheels: ['procvision_algorithm_sdk-0.3.2-py3-none-any.whl'],
      signature: { signed: false },
    });
    expect(verified.interpreter.abi).toMatch(/^cp3\d+$/);
    expect(verified.listing.split('\n')[0]).toMatch(/^[0-9a-f]{64} {2}algo\/algo_pkg\/__init__\.py$/);
    const v006 = await verifyPythonDeliveryZip(
      zipOf(
        entries({
          'algo/deploy_bootstrap.json': null,
          'wheels/procvision_algorithm_sdk-0.3.2-py3-none-any.whl': null,
          'wheels/procvision_algorithm_sdk-0.0.6-py3-none-any.whl': 'w',
          'algo/requirements.txt': 'procvision-algorithm-sdk==0.0.6\n',
        }),
      ),
      { python },
    ).catch((error: unknown) => error);
    expect(v006).toMatchObject({ code: '2020', message: expect.stringMatching(/v0\.0\.6.*supported_pids/s) });
  });

  it('ask the interpreter for its own tags', async () => {
    const station = await inspectPythonStation(python, { wheels: ['x-1.0-py3-none-any.whl', 'x-1.0-cp27-cp27m-win32.whl'] });
    expect(station.tag_count).toBeGreaterThan(10);
    expect(station.wheels.map((wheel) => ('compatible' in wheel ? wheel.compatible : wheel.error))).toEqual([true, false]);
    await expect(inspectPythonStation(join(folder, 'no-such-python'))).rejects.toMatchObject({ code: '2026' });
  });

  it('extract the project folder to the root and wheels/ beside it, nothing on failure', async () => {
    const extracted = await extractPythonDeliveryZip(zipOf(entries()), join(folder, 'out'), { python, stagingName: 'ok' });
    expect(readdirSync(extracted.stagingDir).sort()).toEqual(['algo_pkg', 'deploy_bootstrap.json', 'manifest.json', 'requirements.txt', 'wheels']);
    await expect(
      extractPythonDeliveryZip(zipOf(entries({ 'algo/wheels/evil.whl': 'x' })), join(folder, 'out'), { python, stagingName: 'bad' }),
    ).rejects.toMatchObject({ code: '2001' });
    expect(readdirSync(join(folder, 'out'))).toEqual(['ok']);
  });

  it('carry the SIGNATURE of our zips over the listing', async () => {
    const key = generateSigningKey();
    const signed = join(folder, 'signed.zip');
    await signPythonDeliveryZip(zipOf(entries()), key.privateKeyPem, signed);
    expect((await verifyPythonDeliveryZip(signed, { python, trustedKeys: [key.publicKeyPem], requireSignature: true })).signature).toEqual({
      signed: true,
      verified: true,
      keyId: key.keyId,
    });
    await expect(verifyPythonDeliveryZip(signed, { python, trustedKeys: [generateSigningKey().publicKeyPem] })).rejects.toMatchObject({ code: '2008' });
  });
});
