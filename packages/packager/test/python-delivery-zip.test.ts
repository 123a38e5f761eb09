import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { afterAll, describe, expect, it } from 'vitest';
import {
  readDeliverySbom,
  deliveryZipKind,
  extractPythonDeliveryZip,
  generateSigningKey,
  inspectPythonStation,
  signDeliveryZip,
  verifyPythonDeliveryZip,
} from '../src/index.js';
import { writeRawZip, type RawEntry } from './helpers/raw-zip.js';

const python = process.env.PROCVISION_PYTHON ?? 'python3';
const hasPython = spawnSync(python, ['-c', 'import pip'], { encoding: 'utf8' }).status === 0;
if (!hasPython) console.log(`python-delivery-zip.test.ts skipped: ${python} with pip is missing (set PROCVISION_PYTHON)`);
const folder = mkdtempSync(join(tmpdir(), 'procvision-python-zip-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A minimal wheel: a zip with `<name>-<version>.dist-info/METADATA` (core metadata headers, then the body). */
function wheel(name: string, version: string, headers: string[] = []): Buffer {
  const metadata = ['Metadata-Version: 2.1', `Name: ${name}`, `Version: ${version}`, ...headers, '', 'A long description.', 'License: not a header'].join('\n');
  return writeRawZip([
    { name: `${name}-${version}.dist-info/METADATA`, data: Buffer.from(metadata) },
    { name: `${name}/__init__.py`, data: Buffer.from('') },
  ]);
}

/** The layout `procvision-cli package` writes, with a minimal SDK wheel. */
const entries = (overrides: Record<string, string | Buffer | null> = {}): RawEntry[] => {
  const files: Record<string, string | Buffer | null> = {
    'algo/manifest.json': JSON.stringify({ name: 'algo', version: '1.0.0', entry_point: 'algo_pkg.main:Algo' }),
    'algo/requirements.txt': 'procvision-algorithm-sdk==0.3.2\ntiny-dep==1.2.0\n',
    'algo/deploy_bootstrap.json': JSON.stringify({ has_embedded_python: false, python_version: '', abi: '', implementation: '' }),
    'algo/algo_pkg/__init__.py': '',
    'algo/algo_pkg/main.py': 'class Algo: pass\n',
    'wheels/procvision_algorithm_sdk-0.3.2-py3-none-any.whl': wheel('procvision_algorithm_sdk', '0.3.2', [
      'Classifier: License :: OSI Approved :: MIT License',
      'Requires-Dist: numpy>=1.20',
      'Requires-Dist: tiny-dep (>=1.0)',
      'Requires-Dist: pytest; extra == "test"',
    ]),
    'wheels/tiny_dep-1.2.0-py3-none-any.whl': wheel('Tiny_Dep', '1.2.0', [
      'License-Expression: Apache-2.0 OR MIT',
      'License: ignored when an expression is given',
    ]),
    ...overrides,
  };
  return Object.entries(files)
    .filter((entry): entry is [string, string | Buffer] => entry[1] !== null)
    .map(([name, data]) => ({ name, data: Buffer.isBuffer(data) ? data : Buffer.from(data) }));
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
      wheels: ['procvision_algorithm_sdk-0.3.2-py3-none-any.whl', 'tiny_dep-1.2.0-py3-none-any.whl'],
      signature: { signed: false },
    });
    expect(verified.interpreter.abi).toMatch(/^cp3\d+$/);
    expect(verified.listing.split('\n')[0]).toMatch(/^[0-9a-f]{64} {2}algo\/algo_pkg\/__init__\.py$/);
    const v006 = await verifyPythonDeliveryZip(
      zipOf(
        entries({
          'algo/deploy_bootstrap.json': null,
          'wheels/procvision_algorithm_sdk-0.3.2-py3-none-any.whl': null,
          'wheels/procvision_algorithm_sdk-0.0.6-py3-none-any.whl': wheel('procvision_algorithm_sdk', '0.0.6'),
          'algo/requirements.txt': 'procvision-algorithm-sdk==0.0.6\ntiny-dep==1.2.0\n',
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

  it("derive a CycloneDX 1.6 SBOM from the wheels' METADATA: name, version, license, purl pkg:pypi, SHA-256/512 of the wheel, edges", async () => {
    const list = entries();
    const zip = zipOf(list);
    const verified = await verifyPythonDeliveryZip(zip, { python });
    expect(await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(verified.sbomDocument)).toBeNull();
    const sbom = JSON.parse(verified.sbomDocument);
    expect(sbom.metadata).toEqual({ component: expect.objectContaining({ type: 'application', name: 'algo', version: '1.0.0' }) });
    const bytesOf = (name: string): Buffer => list.find((entry) => entry.name === name)?.data ?? Buffer.alloc(0);
    const hashes = (data: Buffer) => [
      { alg: 'SHA-256', content: createHash('sha256').update(data).digest('hex') },
      { alg: 'SHA-512', content: createHash('sha512').update(data).digest('hex') },
    ];
    expect(sbom.components).toEqual([
      expect.objectContaining({
        name: 'procvision_algorithm_sdk',
        version: '0.3.2',
        purl: 'pkg:pypi/procvision-algorithm-sdk@0.3.2',
        licenses: [{ license: { name: 'MIT License' } }],
        hashes: hashes(bytesOf('wheels/procvision_algorithm_sdk-0.3.2-py3-none-any.whl')),
      }),
      expect.objectContaining({
        name: 'Tiny_Dep',
        version: '1.2.0',
        purl: 'pkg:pypi/tiny-dep@1.2.0',
        licenses: [{ expression: 'Apache-2.0 OR MIT' }],
        hashes: hashes(bytesOf('wheels/tiny_dep-1.2.0-py3-none-any.whl')),
      }),
    ]);
    expect(sbom.dependencies).toContainEqual({ ref: 'pkg:pypi/procvision-algorithm-sdk@0.3.2', dependsOn: ['pkg:pypi/tiny-dep@1.2.0'] });
    expect(verified.sbom).toEqual({ specVersion: '1.6', components: 2, licenses: { 'Apache-2.0 OR MIT': 1, 'MIT License': 1 } });
    // The same zip gives the same document: read without the interpreter, and after extraction.
    expect((await readDeliverySbom(zip)).document).toBe(verified.sbomDocument);
    expect((await extractPythonDeliveryZip(zip, join(folder, 'sbom-out'), { python })).sbomDocument).toBe(verified.sbomDocument);
    // A "wheel" without METADATA is refused, naming it.
    await expect(
      verifyPythonDeliveryZip(zipOf(entries({ 'wheels/tiny_dep-1.2.0-py3-none-any.whl': writeRawZip([{ name: 'x.py', data: Buffer.from('') }]) })), { python }),
    ).rejects.toMatchObject({ code: '2001', message: expect.stringContaining('wheels/tiny_dep-1.2.0-py3-none-any.whl') });
  });

  it('carry the SIGNATURE of our zips over the listing', async () => {
    const key = generateSigningKey();
    const signed = join(folder, 'signed.zip');
    const { kind, keyId } = await signDeliveryZip(zipOf(entries()), key.privateKeyPem, signed);
    expect({ kind, keyId }).toEqual({ kind: 'python', keyId: key.keyId });
    expect((await verifyPythonDeliveryZip(signed, { python, trustedKeys: [key.publicKeyPem], requireSignature: true })).signature).toEqual({
      signed: true,
      verified: true,
      keyId: key.keyId,
    });
    await expect(verifyPythonDeliveryZip(signed, { python, trustedKeys: [generateSigningKey().publicKeyPem] })).rejects.toMatchObject({ code: '2008' });
  });
});
