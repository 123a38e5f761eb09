import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { buildDeliveryZip, generateSigningKey } from '@procvision/packager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRegistry, type LocalRegistry } from '../../packager/test/helpers/local-registry.js';
import { writeRawZip } from '../../packager/test/helpers/raw-zip.js';
import { readZipEntries } from '../../packager/test/helpers/zip-contents.js';
import { buildPythonZip, buildSdkWheel, pythonSdkOrSkipReason, testPython } from '../../runner/test/store-fixtures/python-zips.js';
import { runCli, temporaryFolder } from './cli-helpers.js';

interface ValidateDocument {
  checks: Array<{ name: string; result: string; message: string }>;
}
interface Listed {
  packages: Array<{ name: string; version: string; kind: string; sbom_file?: string; licenses?: Record<string, number> }>;
}
interface Sbom {
  specVersion: string;
  components: Array<{ name: string; version: string; purl: string; licenses?: unknown[]; hashes?: Array<{ alg: string; content: string }> }>;
}

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6);
const check = (document: ValidateDocument, name: string) => document.checks.find((candidate) => candidate.name === name);
const key = generateSigningKey();

let folder: Awaited<ReturnType<typeof temporaryFolder>>;
let keyFile: string;
let publicKeyFile: string;
beforeAll(async () => {
  folder = await temporaryFolder('sbom-sign');
  keyFile = join(folder.path, 'release.pem');
  publicKeyFile = join(folder.path, 'release.pub.pem');
  writeFileSync(keyFile, key.privateKeyPem);
  writeFileSync(publicKeyFile, key.publicKeyPem);
});
afterAll(() => folder.remove());

describe('our zips: procvision sign, procvision sbom, the SBOM checked by validate and kept by the store', () => {
  let registry: LocalRegistry;
  let inheritedRegistry: string | undefined;
  let unsigned = '';
  let signedAtPackage = '';
  let zipSbom = '';

  beforeAll(async () => {
    registry = await startLocalRegistry(folder.path);
    registry.publish('pv-pad', '1.0.0');
    const project = join(folder.path, 'lock-algo');
    mkdirSync(join(project, 'dist'), { recursive: true });
    writeFileSync(
      join(project, 'manifest.json'),
      JSON.stringify({ name: 'lock-algo', version: '1.0.0', entry_point: 'dist/main.js:Algo', supported_pids: ['A01'] }),
    );
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'lock-algo', version: '1.0.0', type: 'module', dependencies: { 'pv-pad': '^1.0.0' } }));
    writeFileSync(join(project, 'dist', 'main.js'), 'export class Algo {}\n');
    writeFileSync(join(project, '.npmrc'), `registry=${registry.url}\n`);
    // `pnpm test` sets npm_config_registry, which outranks a project's .npmrc.
    inheritedRegistry = process.env.npm_config_registry;
    process.env.npm_config_registry = registry.url;
    const common = { target: 'linux-x64', npmCacheDir: join(folder.path, 'npm-cache'), skipBuild: true } as const;
    unsigned = (await buildDeliveryZip(project, { ...common, output: join(folder.path, 'unsigned') })).zipPath;
    signedAtPackage = (await buildDeliveryZip(project, { ...common, output: join(folder.path, 'signed'), signKey: key.privateKeyPem })).zipPath;
    zipSbom = (await readZipEntries(unsigned)).find((entry) => entry.name === 'sbom.cdx.json')?.data.toString('utf8') ?? '';
  }, 180_000);
  afterAll(async () => {
    if (inheritedRegistry === undefined) delete process.env.npm_config_registry;
    else process.env.npm_config_registry = inheritedRegistry;
    await registry?.close();
  });

  it('sign afterwards gives the bytes of package --sign-key, and validate checks the signature', async () => {
    const resigned = join(folder.path, 'resigned.zip');
    const signed = await runCli(['sign', unsigned, '--key', keyFile, '-o', resigned, '--json']);
    expect(signed.code, signed.stderr).toBe(0);
    expect(signed.json()).toEqual({ zip: resigned, kind: 'npm', key_id: key.keyId });
    console.log(`signed afterwards ${sha256(resigned)}, signed by package ${sha256(signedAtPackage)}`);
    expect(sha256(resigned)).toBe(sha256(signedAtPackage));
    const validated = await runCli(['validate', '--zip', resigned, '--trusted-key', publicKeyFile, '--json']);
    expect(check(validated.json<ValidateDocument>(), 'zip signature')).toMatchObject({ result: 'PASS' });
  }, 120_000);

  it('procvision sbom <zip> prints the SBOM the zip carries; validate --zip checks it, and refuses one the CycloneDX 1.6 schema refuses', async () => {
    const json = await runCli(['sbom', unsigned, '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(json.json()).toEqual(JSON.parse(zipSbom));
    const human = await runCli(['sbom', unsigned]);
    expect(human.stdout).toMatch(
      /^CycloneDX 1\.6 SBOM of .*sbom\.cdx\.json of the zip\): 1 package\(s\)\n {2}pv-pad 1\.0\.0 {2}MIT {2}pkg:npm\/pv-pad@1\.0\.0\nlicenses: MIT 1\n$/,
    );
    const validated = await runCli(['validate', '--zip', unsigned, '--json']);
    expect(check(validated.json<ValidateDocument>(), 'zip sbom')).toMatchObject({
      result: 'PASS',
      message: expect.stringContaining('1 packages matching the install set (MIT 1)'),
    });

    // An SBOM with a field the schema does not know, resealed into delivery.json so every hash matches.
    const bad = Buffer.from(JSON.stringify({ ...JSON.parse(zipSbom), licence_notes: 'hand-edited' }, null, 2));
    const entries = (await readZipEntries(unsigned)).map((entry) => {
      if (entry.name === 'sbom.cdx.json') return { ...entry, data: bad };
      if (entry.name !== 'delivery.json') return entry;
      const delivery = JSON.parse(entry.data.toString('utf8'));
      delivery.files['sbom.cdx.json'] = { sha256: createHash('sha256').update(bad).digest('hex'), size: bad.length };
      return { ...entry, data: Buffer.from(JSON.stringify(delivery)) };
    });
    const tampered = join(folder.path, 'schema-invalid.zip');
    writeFileSync(tampered, writeRawZip(entries));
    const refused = await runCli(['validate', '--zip', tampered, '--json']);
    expect(refused.code).toBe(1);
    expect(check(refused.json<ValidateDocument>(), 'zip structure and integrity')).toMatchObject({
      result: 'FAIL',
      message: expect.stringMatching(/entry "sbom\.cdx\.json": does not validate against the CycloneDX 1\.6 JSON schema/),
    });
  }, 120_000);

  it('the store keeps the SBOM: runner list --json has the license summary, procvision sbom name@version --store prints it', async () => {
    const store = join(folder.path, 'store');
    const installed = await runCli(['runner', 'install', unsigned, '--store', store, '--json']);
    expect(installed.code, installed.stderr).toBe(0);
    const listed = await runCli(['runner', 'list', '--store', store, '--json']);
    expect(listed.json<Listed>().packages).toEqual([expect.objectContaining({ name: 'lock-algo', sbom_file: 'sbom.cdx.json', licenses: { MIT: 1 } })]);
    const sbom = await runCli(['sbom', 'lock-algo@1.0.0', '--store', store, '--json']);
    expect(sbom.code, sbom.stderr).toBe(0);
    expect(sbom.json()).toEqual(JSON.parse(zipSbom));
    const missing = await runCli(['sbom', 'lock-algo@9.9.9', '--store', store, '--json']);
    expect(missing.code).toBe(1);
    expect(missing.json<{ error: { code: string } }>().error.code).toBe('2009');
  }, 120_000);
});

const python = pythonSdkOrSkipReason();
if ('skip' in python) console.log(`sbom-sign.test.ts (Python part) ${python.skip}`);

describe.skipIf('skip' in python)('Python SDK zips get the same tools: procvision sign, an SBOM from the wheels at validate and install', () => {
  let zip = '';
  let wheel = '';
  beforeAll(() => {
    if ('skip' in python) return;
    wheel = buildSdkWheel(python.sdk, folder.path);
    zip = buildPythonZip(python.sdk, wheel, folder.path, { version: '1.0.0' });
  }, 120_000);

  it("sign, validate (signature and SBOM), sbom --json lists the SDK wheel; the store keeps the SBOM derived from the wheels' METADATA", async () => {
    const signed = await runCli(['sign', zip, '--key', keyFile, '--json']);
    expect(signed.code, signed.stderr).toBe(0);
    expect(signed.json()).toEqual({ zip, kind: 'python', key_id: key.keyId });

    const validated = await runCli(['validate', '--zip', zip, '--python', testPython, '--trusted-key', publicKeyFile, '--json']);
    expect(validated.code, validated.stdout + validated.stderr).toBe(0);
    const checks = validated.json<ValidateDocument>();
    expect(check(checks, 'zip signature')).toMatchObject({ result: 'PASS', message: expect.stringContaining(key.keyId) });
    expect(check(checks, 'zip sbom')).toMatchObject({
      result: 'PASS',
      message: expect.stringMatching(/derived from the wheels' METADATA: CycloneDX 1\.6, 1 package\(s\)/),
    });

    const printed = await runCli(['sbom', zip, '--json']);
    expect(printed.code, printed.stderr).toBe(0);
    expect(await validator.validate(printed.stdout)).toBeNull();
    const document = printed.json<Sbom>();
    expect(document.components).toEqual([
      expect.objectContaining({
        name: 'procvision-algorithm-sdk',
        version: '0.3.2',
        purl: 'pkg:pypi/procvision-algorithm-sdk@0.3.2',
        licenses: [{ license: { id: 'MIT' } }],
        hashes: [
          { alg: 'SHA-256', content: sha256(wheel) },
          { alg: 'SHA-512', content: createHash('sha512').update(readFileSync(wheel)).digest('hex') },
        ],
      }),
    ]);

    const store = join(folder.path, 'python-store');
    mkdirSync(store);
    writeFileSync(join(store, 'config.json'), JSON.stringify({ python: testPython, python_system_site_packages: true }));
    const installed = await runCli(['runner', 'install', zip, '--store', store, '--trusted-key', publicKeyFile, '--require-signature', '--json']);
    expect(installed.code, installed.stderr).toBe(0);
    const listed = await runCli(['runner', 'list', '--store', store, '--json']);
    expect(listed.json<Listed>().packages).toEqual([expect.objectContaining({ kind: 'python', sbom_file: '.procvision-sbom.cdx.json', licenses: { MIT: 1 } })]);
    const kept = await runCli(['sbom', 'algorithm-example@1.0.0', '--store', store, '--json']);
    expect(kept.code, kept.stderr).toBe(0);
    expect(kept.stdout).toBe(printed.stdout);
  }, 300_000);
});
