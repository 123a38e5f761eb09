import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildDeliveryZip,
  checkInstallScripts,
  currentTarget,
  deliveryZipName,
  formatTarget,
  generateSigningKey,
  parseTarget,
  publicKeyId,
  signDelivery,
  verifyDeliverySignature,
} from '../src/index.js';

describe('targets', () => {
  it('parses the supported targets, with glibc as the linux default', () => {
    expect(parseTarget('linux-x64')).toEqual({ os: 'linux', cpu: 'x64', libc: 'glibc' });
    expect(parseTarget('linux-arm64-musl')).toEqual({ os: 'linux', cpu: 'arm64', libc: 'musl' });
    expect(parseTarget('win32-x64')).toEqual({ os: 'win32', cpu: 'x64' });
    expect(parseTarget('darwin-arm64')).toEqual({ os: 'darwin', cpu: 'arm64' });
    expect(formatTarget(parseTarget('linux-x64'))).toBe('linux-x64-glibc');
    expect(deliveryZipName('screw-detector', '1.2.0', parseTarget('win32-x64'))).toBe('screw-detector-v1.2.0-win32-x64-offline.zip');
  });

  it('refuses unknown targets and libc outside linux with 2003', () => {
    expect(() => parseTarget('freebsd-x64')).toThrow(expect.objectContaining({ code: '2003', message: expect.stringContaining('freebsd-x64') }));
    expect(() => parseTarget('win32-x64-musl')).toThrow(expect.objectContaining({ code: '2003' }));
  });

  it('knows this machine', () => {
    expect(currentTarget()).toMatchObject({ os: process.platform, cpu: process.arch });
  });
});

describe('install-script allow-list', () => {
  const linux = parseTarget('linux-x64');
  it("allows sharp's install script only when its prebuilt binary is in the install set", () => {
    const set = [
      { name: 'sharp', version: '0.34.5', hasInstallScript: true },
      { name: '@img/sharp-linux-x64', version: '0.34.5', hasInstallScript: false },
    ];
    expect(checkInstallScripts(set, linux)).toEqual([{ name: 'sharp', version: '0.34.5', reason: expect.stringContaining('@img/sharp-linux-x64') }]);
    expect(() => checkInstallScripts(set.slice(0, 1), linux)).toThrow(
      expect.objectContaining({ code: '2004', message: expect.stringContaining('@img/sharp-linux-x64 is not in the install set') }),
    );
  });

  it('refuses any other install script, naming the package, unless the caller allows it', () => {
    const set = [{ name: 'bcrypt', version: '5.1.1', hasInstallScript: true }];
    expect(() => checkInstallScripts(set, linux)).toThrow(
      expect.objectContaining({ code: '2004', message: expect.stringContaining('bcrypt@5.1.1 has an install script') }),
    );
    expect(checkInstallScripts(set, linux, ['bcrypt'])).toHaveLength(1);
  });
});

describe('ed25519 signatures', () => {
  it('signs delivery bytes and verifies them against trusted keys only', () => {
    const signer = generateSigningKey();
    const bytes = Buffer.from('{"name":"demo"}');
    const signature = signDelivery(bytes, signer.privateKeyPem);
    expect(signature).toMatchObject({ key_id: signer.keyId, alg: 'ed25519' });
    expect(publicKeyId(signer.publicKeyPem)).toBe(signer.keyId);
    expect(verifyDeliverySignature(bytes, signature, [generateSigningKey().publicKeyPem, signer.publicKeyPem])).toBe(signer.keyId);
    expect(() => verifyDeliverySignature(Buffer.from('{"name":"demo2"}'), signature, [signer.publicKeyPem])).toThrow(expect.objectContaining({ code: '2008' }));
    expect(() => verifyDeliverySignature(bytes, signature, [generateSigningKey().publicKeyPem])).toThrow(expect.objectContaining({ code: '2008' }));
  });
});

describe('signing keys that are not ed25519 PEM keys', () => {
  it('says which key is expected instead of an OpenSSL decoder error', () => {
    const bytes = Buffer.from('{"name":"demo"}');
    const signer = generateSigningKey();
    for (const key of ['hello\n', signer.publicKeyPem]) {
      expect(() => signDelivery(bytes, key)).toThrow(
        expect.objectContaining({ code: '2008', message: expect.stringMatching(/signing key .*ed25519 private key in PEM/) }),
      );
    }
    const signature = signDelivery(bytes, signer.privateKeyPem);
    expect(() => verifyDeliverySignature(bytes, signature, ['not a key'])).toThrow(
      expect.objectContaining({ code: '2008', message: expect.stringMatching(/trusted key 1 .*ed25519 public key in PEM/) }),
    );
  });

  it('buildDeliveryZip refuses a bad key before any build or npm work', async () => {
    const project = mkdtempSync(join(tmpdir(), 'procvision-badkey-'));
    try {
      writeFileSync(
        join(project, 'manifest.json'),
        JSON.stringify({ name: 'badkey', version: '1.0.0', entry_point: 'dist/main.js:Algo', supported_pids: ['A01'] }),
      );
      writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'badkey', version: '1.0.0', type: 'module', scripts: { build: 'exit 1' } }));
      const stages: string[] = [];
      await expect(buildDeliveryZip(project, { signKey: 'hello\n', onProgress: (event) => stages.push(event.stage) })).rejects.toMatchObject({
        code: '2008',
        message: expect.stringContaining('ed25519 private key'),
      });
      expect(stages).toEqual([]);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});
