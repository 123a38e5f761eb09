import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extractDeliveryZip, generateSigningKey, verifyDeliveryZip } from '../src/index.js';
import { deliveryEntries, minimalFiles, temporaryFolder } from './helpers/delivery-fixture.js';
import { writeRawZip, type RawEntry } from './helpers/raw-zip.js';

const folder = temporaryFolder('procvision-hostile-');
afterAll(() => folder.cleanup());
let counter = 0;

function zipOf(entries: readonly RawEntry[]): string {
  counter += 1;
  const path = join(folder.path, `case-${counter}.zip`);
  writeFileSync(path, writeRawZip(entries));
  return path;
}

/** Extraction must fail with `code`, a message naming `entry`, and leave the parent empty. */
async function expectRefused(path: string, code: string, entry: RegExp | string, options: Parameters<typeof extractDeliveryZip>[2] = {}): Promise<void> {
  const parent = join(folder.path, `deployed-${counter}`);
  const error = await extractDeliveryZip(path, parent, options).then(
    () => null,
    (caught: unknown) => caught as { code: string; message: string },
  );
  expect(error?.code).toBe(code);
  expect(error?.message).toMatch(entry);
  expect(readdirSync(parent)).toEqual([]);
  await expect(verifyDeliveryZip(path, options)).rejects.toMatchObject({ code });
}

describe('hostile delivery zips', () => {
  it('accepts the well-formed baseline and extracts it into a fresh staging folder', async () => {
    const result = await extractDeliveryZip(zipOf(deliveryEntries()), join(folder.path, 'baseline'));
    expect(result.delivery.name).toBe('demo-algo');
    expect(result.signerKeyId).toBeNull();
    expect(readdirSync(result.stagingDir).sort()).toEqual(['delivery.json', 'dist', 'manifest.json', 'package-lock.json', 'package.json']);
  });

  it.each([
    ['../escape.js', /path traversal/],
    ['dist/../../escape.js', /path traversal/],
    ['/etc/passwd', /absolute path/],
    ['C:/windows/evil.dll', /absolute path/],
    ['dist\\evil.js', /backslash/],
    ['dist/evil\u0000.js', /control character/],
    ['dist/evil\u0007.js', /control character/],
  ])('refuses the unsafe name %j with 2001', async (name, reason) => {
    await expectRefused(zipOf(deliveryEntries({ extra: [{ name, data: Buffer.from('x') }] })), '2001', reason);
  });

  it('refuses a symlink entry', async () => {
    const path = zipOf(deliveryEntries({ extra: [{ name: 'dist/link', data: Buffer.from('/etc/passwd'), method: 0, unixMode: 0o120777 }] }));
    await expectRefused(path, '2001', /"dist\/link": is a symbolic link/);
  });

  it('refuses a zip bomb (>1000:1) before inflating anything', async () => {
    const path = zipOf(deliveryEntries({ extra: [{ name: 'assets/bomb.bin', data: Buffer.alloc(20 * 1024 * 1024) }] }));
    await expectRefused(path, '2001', /"assets\/bomb.bin": expands .* zip bomb/);
  });

  it('stops an entry that inflates beyond its declared size while streaming', async () => {
    const files = minimalFiles();
    files.set('assets/liar.bin', Buffer.alloc(1000));
    const entries = deliveryEntries({ files }).map((entry) =>
      entry.name === 'assets/liar.bin' ? { ...entry, data: Buffer.alloc(400_000, 1), declaredSize: 1000 } : entry,
    );
    await expectRefused(zipOf(entries), '2001', /"assets\/liar.bin": inflates beyond its declared 1000 bytes/);
  });

  it('refuses compressed sizes larger than the file', async () => {
    const path = zipOf(
      deliveryEntries({ extra: [{ name: 'dist/huge.js', data: Buffer.from('x'), declaredCompressedSize: 50_000_000, declaredSize: 50_000_000, method: 0 }] }),
    );
    await expectRefused(path, '2001', /compressed bytes|overlaps/);
  });

  it('refuses duplicate and case-colliding names', async () => {
    await expectRefused(zipOf(deliveryEntries({ extra: [{ name: 'dist/main.js', data: Buffer.from('evil') }] })), '2001', /"dist\/main.js": appears twice/);
    await expectRefused(zipOf(deliveryEntries({ extra: [{ name: 'DIST/Main.js', data: Buffer.from('evil') }] })), '2001', /collides with "dist\/main.js"/);
  });

  it('refuses encrypted entries', async () => {
    await expectRefused(
      zipOf(deliveryEntries({ extra: [{ name: 'dist/secret.js', data: Buffer.from('x'), flags: 0x1 }] })),
      '2001',
      /"dist\/secret.js": is encrypted/,
    );
  });

  it('refuses a file not listed in delivery.json', async () => {
    await expectRefused(
      zipOf(deliveryEntries({ extra: [{ name: 'dist/extra.js', data: Buffer.from('x') }] })),
      '2001',
      /"dist\/extra.js": is not listed in delivery.json/,
    );
  });

  it('refuses a listed file that is missing, and a zip without manifest.json (2002)', async () => {
    const withoutMain = deliveryEntries().filter((entry) => entry.name !== 'dist/main.js');
    await expectRefused(zipOf(withoutMain), '2001', /"dist\/main.js": is listed in delivery.json but missing/);
    const files = minimalFiles();
    files.delete('manifest.json');
    await expectRefused(zipOf(deliveryEntries({ files })), '2002', /"manifest.json": is missing/);
  });

  it('refuses a file whose bytes differ from delivery.json (2008)', async () => {
    const entries = deliveryEntries().map((entry) =>
      entry.name === 'dist/main.js' ? { ...entry, data: Buffer.from('export class Demo {} // evil\n'.slice(0, 21)) } : entry,
    );
    await expectRefused(zipOf(entries), '2008', /"dist\/main.js": sha256 .* differs/);
  });

  it('checks signatures: missing or wrong ones are refused when required (2008)', async () => {
    const signer = generateSigningKey();
    const other = generateSigningKey();
    const signed = zipOf(deliveryEntries({ signKey: signer.privateKeyPem }));
    const verified = await verifyDeliveryZip(signed, { trustedKeys: [signer.publicKeyPem], requireSignature: true });
    expect(verified.signature).toEqual({ signed: true, verified: true, keyId: signer.keyId });
    await expectRefused(signed, '2008', /SIGNATURE.*not one of the 1 trusted/, { trustedKeys: [other.publicKeyPem], requireSignature: true });
    await expectRefused(zipOf(deliveryEntries()), '2008', /"SIGNATURE": is missing but signatures are required/, {
      trustedKeys: [signer.publicKeyPem],
      requireSignature: true,
    });
    const forged = deliveryEntries({ signKey: signer.privateKeyPem }).map((entry) =>
      entry.name === 'delivery.json' ? { ...entry, data: Buffer.from(entry.data.toString().replace('"1.0.0"', '"1.0.0" ')) } : entry,
    );
    await expectRefused(zipOf(forged), '2008', /does not match delivery.json/, { trustedKeys: [signer.publicKeyPem] });
  });

  it('reports the target of a zip built for another platform', async () => {
    const verified = await verifyDeliveryZip(zipOf(deliveryEntries({ target: { os: 'win32', cpu: 'x64' } })));
    expect(verified.target).toMatchObject({ os: 'win32', cpu: 'x64' });
  });

  it('refuses a file that is not a zip, and entry-count limits', async () => {
    const notZip = join(folder.path, 'not-a-zip.zip');
    writeFileSync(notZip, 'hello');
    await expectRefused(notZip, '2001', /end-of-central-directory/);
    await expectRefused(zipOf(deliveryEntries()), '2001', /more than the limit of 3/, { limits: { maxEntries: 3 } });
  });

  it('never reuses an existing staging folder', async () => {
    const parent = join(folder.path, 'reuse');
    const first = await extractDeliveryZip(zipOf(deliveryEntries()), parent, { stagingName: '.staging-fixed' });
    expect(existsSync(first.stagingDir)).toBe(true);
    await expect(extractDeliveryZip(zipOf(deliveryEntries()), parent, { stagingName: '.staging-fixed' })).rejects.toMatchObject({ code: '2001' });
    expect(readdirSync(parent)).toEqual(['.staging-fixed']);
  });

  it('refuses a staging name that is not a plain folder name, creating nothing', async () => {
    const parent = join(folder.path, 'plain');
    for (const stagingName of ['../escape', 'a/b', '..']) {
      await expect(extractDeliveryZip(zipOf(deliveryEntries()), parent, { stagingName })).rejects.toMatchObject({
        code: '2001',
        message: expect.stringContaining('must be a plain folder name'),
      });
    }
    expect(existsSync(parent)).toBe(false);
    expect(existsSync(join(folder.path, 'escape'))).toBe(false);
  });
});
