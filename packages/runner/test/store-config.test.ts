import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSigningKey } from '@procvision/packager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackageStore, StoreConfigError } from '../src/store/index.js';
import { buildTinyZip, storeSnapshot, temporaryFolder } from './store-fixtures/store-fixtures.js';

const folder = temporaryFolder('procvision-store-config-');
afterAll(() => folder.cleanup());
const signer = generateSigningKey();
const zips = { unsigned: '', signed: '' };
let storeCount = 0;

/** A store folder whose config.json is `config` (written as is when a string), with the signer's public key in keys/. */
function storeWithConfig(config: unknown): string {
  storeCount += 1;
  const root = join(folder.path, `store-${String(storeCount)}`);
  mkdirSync(join(root, 'keys'), { recursive: true });
  writeFileSync(join(root, 'keys', 'vendor-a.pub.pem'), signer.publicKeyPem);
  writeFileSync(join(root, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return root;
}

beforeAll(async () => {
  const output = join(folder.path, 'zips');
  zips.unsigned = await buildTinyZip(folder.path, output, { version: '1.0.0', withDependency: false });
  zips.signed = await buildTinyZip(folder.path, join(output, 'signed'), { version: '1.1.0', withDependency: false, signKey: signer.privateKeyPem });
}, 180_000);

describe('PackageStore and <store>/config.json', () => {
  it('refuses an unsigned zip on install() and scan() (2008) when config.json requires a signature; the store is unchanged', async () => {
    const store = await PackageStore.open(storeWithConfig({ require_signature: true, trusted_keys: ['keys/vendor-a.pub.pem'] }));
    const before = storeSnapshot(store.paths.root);
    await expect(store.install(zips.unsigned)).rejects.toMatchObject({ code: '2008', message: expect.stringContaining('signatures are required') as unknown });
    expect(storeSnapshot(store.paths.root)).toEqual(before);

    copyFileSync(zips.unsigned, join(store.paths.zips, 'unsigned.zip'));
    const outcomes = await store.scan();
    expect(outcomes).toEqual([expect.objectContaining({ zipFile: 'unsigned.zip', outcome: 'invalid', code: '2008' })]);
    expect(await store.list()).toEqual([]);
    expect(readdirSync(store.paths.deployed)).toEqual([]);

    expect((await store.install(zips.signed)).signer_key_id).toBe(signer.keyId);
    await store.close();
  }, 60_000);

  it('options add keys but cannot turn off the file requirement', async () => {
    const root = storeWithConfig({ require_signature: true });
    const store = await PackageStore.open(root, { requireSignature: false, trustedKeys: [signer.publicKeyPem] });
    await expect(store.install(zips.unsigned)).rejects.toMatchObject({ code: '2008' });
    expect((await store.install(zips.signed)).signer_key_id).toBe(signer.keyId);
    await store.close();
  }, 60_000);

  it('rejects an invalid config.json or key file with a StoreConfigError (2008) naming the file and field, creating nothing', async () => {
    for (const [config, field, reason] of [
      ['{"require_signatures": true}', 'require_signatures', 'unknown field "require_signatures"'],
      ['{"require_signature": "yes"}', 'require_signature', 'require_signature must be true or false, got "yes"'],
      ['{"trusted_keys": "keys/a.pem"}', 'trusted_keys', 'trusted_keys must be an array'],
      ['{"trusted_keys": [""]}', 'trusted_keys[0]', 'trusted_keys[0] must be a key file path'],
      ['[]', undefined, 'not a JSON object'],
      ['{"require_signature": true', undefined, 'not valid JSON'],
    ] as const) {
      const root = storeWithConfig(config);
      const error = await PackageStore.open(root).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(StoreConfigError.isInstance(error), config).toBe(true);
      expect(error).toMatchObject({ code: '2008', file: join(root, 'config.json'), field, message: expect.stringContaining(reason) as unknown });
      expect(existsSync(join(root, 'algorithms')), config).toBe(false);
    }
    const missingKey = storeWithConfig({ trusted_keys: ['keys/absent.pub.pem'] });
    await expect(PackageStore.open(missingKey)).rejects.toMatchObject({
      code: '2008',
      file: join(missingKey, 'keys', 'absent.pub.pem'),
      message: expect.stringContaining('expected an ed25519 public key PEM') as unknown,
    });
    const privateKey = storeWithConfig({ trusted_keys: ['keys/private.pem'] });
    writeFileSync(join(privateKey, 'keys', 'private.pem'), signer.privateKeyPem);
    await expect(PackageStore.open(privateKey)).rejects.toThrow(/is a private key/);
  });
});
