import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scaffold, temporaryFolder } from './cli-helpers.js';

interface ValidateDocument {
  summary: { status: string };
  checks: Array<{ name: string; result: string; message: string }>;
}

function ed25519Pair(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Every path of a store but its audit log and lock, plus registry.json and active.json. */
async function storeSnapshot(root: string): Promise<string> {
  const paths = (await readdir(root, { recursive: true })).filter((path) => !path.startsWith('logs') && path !== '.lock').sort();
  const read = (file: string) => readFile(join(root, file), 'utf8').catch(() => '');
  return JSON.stringify({ paths, registry: await read('registry.json'), active: await read('active.json') });
}

describe('signatures from the command line (runner install, validate --zip, store config.json)', () => {
  let folder: Awaited<ReturnType<typeof temporaryFolder>>;
  let signedZip: string;
  let unsignedZip: string;
  let signerKeyId: string;
  const keys: Record<'good' | 'other' | 'rsa' | 'privateKey' | 'junk', string> = { good: '', other: '', rsa: '', privateKey: '', junk: '' };

  beforeAll(async () => {
    folder = await temporaryFolder('signature');
    const vendor = ed25519Pair();
    const files = {
      good: vendor.publicPem,
      other: ed25519Pair().publicPem,
      rsa: generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      privateKey: vendor.privatePem,
      junk: 'not a key\n',
    };
    for (const [name, text] of Object.entries(files)) {
      keys[name as keyof typeof keys] = join(folder.path, `${name}.pem`);
      await writeFile(join(folder.path, `${name}.pem`), text);
    }
    const project = await scaffold(folder.path, 'signed', 'A01');
    const zips: string[] = [];
    for (const [output, signing] of [
      ['signed', ['--sign-key', keys.privateKey]],
      ['unsigned', []],
    ] as const) {
      const packaged = await runCli(['package', project, '-o', join(folder.path, output), ...signing, '--json']);
      if (packaged.code !== 0) throw new Error(`package failed: ${packaged.stderr}`);
      const zip = packaged.json<{ zips: Array<{ path: string; signer_key_id: string | null }> }>().zips[0]!;
      zips.push(zip.path);
      signerKeyId ||= zip.signer_key_id ?? '';
    }
    [signedZip, unsignedZip] = zips as [string, string];
  }, 120_000);
  afterAll(() => folder.remove());

  it('installs a signed zip with --trusted-key and --require-signature; a wrong key or an unsigned zip is 2008, exit 1, store unchanged', async () => {
    const store = join(folder.path, 'store-flags');
    const installed = await runCli(['runner', 'install', signedZip, '--trusted-key', keys.good, '--require-signature', '--store', store, '--json']);
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.json()).toMatchObject({ name: 'signed', version: '1.0.0', signer_key_id: signerKeyId });

    const before = await storeSnapshot(store);
    const wrongKey = await runCli(['runner', 'install', signedZip, '--trusted-key', keys.other, '--store', store, '--json']);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.json()).toMatchObject({ error: { code: '2008', message: expect.stringContaining(signerKeyId) as unknown } });
    const unsigned = await runCli(['runner', 'install', unsignedZip, '--trusted-key', keys.good, '--require-signature', '--store', store, '--json']);
    expect(unsigned.code).toBe(1);
    expect(unsigned.json()).toMatchObject({ error: { code: '2008', message: expect.stringContaining('signatures are required') as unknown } });
    expect(await storeSnapshot(store)).toBe(before);
  }, 60_000);

  it('exits 2 naming the key file and what was expected for a bad trusted key, and creates no store', async () => {
    const store = join(folder.path, 'store-bad-key');
    const missing = join(folder.path, 'missing.pem');
    for (const [file, reason] of [
      [keys.junk, 'not a public key in PEM'],
      [keys.rsa, 'rsa public key'],
      [keys.privateKey, 'private key'],
      [missing, 'cannot be read'],
    ] as const) {
      const run = await runCli(['runner', 'install', signedZip, '--trusted-key', file, '--store', store, '--json']);
      expect(run.code, file).toBe(2);
      const message = run.json<{ error: { message: string } }>().error.message;
      expect(message).toContain(file);
      expect(message).toContain(reason);
      expect(message).toContain('expected an ed25519 public key PEM');
    }
    const noKey = await runCli(['runner', 'install', signedZip, '--require-signature', '--store', store]);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('--require-signature needs at least one trusted key');
    expect(existsSync(store)).toBe(false);
  });

  it('honours <store>/config.json: require_signature and trusted_keys relative to the store', async () => {
    const store = join(folder.path, 'store-config');
    await mkdir(join(store, 'keys'), { recursive: true });
    await writeFile(join(store, 'keys', 'vendor-a.pub.pem'), await readFile(keys.good));
    const config = join(store, 'config.json');
    await writeFile(config, JSON.stringify({ require_signature: true, trusted_keys: ['keys/vendor-a.pub.pem'] }));

    const unsigned = await runCli(['runner', 'install', unsignedZip, '--store', store, '--json']);
    expect(unsigned.code).toBe(1);
    expect(unsigned.json()).toMatchObject({ error: { code: '2008' } });
    const installed = await runCli(['runner', 'install', signedZip, '--store', store, '--json']);
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.json()).toMatchObject({ name: 'signed', signer_key_id: signerKeyId });

    for (const [text, reason] of [
      ['{"require_signatures": true}', 'unknown field "require_signatures"'],
      ['{"require_signature": "yes"}', 'require_signature must be true or false'],
      ['{"trusted_keys": ["keys/absent.pub.pem"]}', 'keys/absent.pub.pem (trusted_keys[0]'],
      ['{"require_signature": true', 'not valid JSON'],
    ] as const) {
      await writeFile(config, text);
      const run = await runCli(['runner', 'install', signedZip, '--store', store]);
      expect(run.code, text).toBe(2);
      expect(run.stderr).toContain(config);
      expect(run.stderr).toContain(reason);
    }
  }, 60_000);

  it('validate --zip reports the signature PASS with the right key, FAIL (exit 1) with a wrong key or when required and unsigned', async () => {
    const signatureCheck = (document: ValidateDocument) => document.checks.find((check) => check.name === 'zip signature');
    const pass = await runCli(['validate', '--zip', signedZip, '--trusted-key', keys.good, '--json'], { cwd: folder.path });
    expect(pass.code, pass.stdout).toBe(0);
    expect(signatureCheck(pass.json<ValidateDocument>())).toMatchObject({ result: 'PASS', message: expect.stringContaining(signerKeyId) as unknown });

    const wrong = await runCli(['validate', '--zip', signedZip, '--trusted-key', keys.other, '--json'], { cwd: folder.path });
    expect(wrong.code).toBe(1);
    const document = wrong.json<ValidateDocument>();
    expect(document.summary.status).toBe('FAIL');
    expect(signatureCheck(document)).toMatchObject({ result: 'FAIL', message: expect.stringContaining('(2008)') as unknown });
    expect(document.checks.find((check) => check.name === 'zip structure and integrity')?.result).toBe('PASS');

    const unsigned = await runCli(['validate', '--zip', unsignedZip, '--trusted-key', keys.good, '--require-signature', '--json'], { cwd: folder.path });
    expect(unsigned.code).toBe(1);
    expect(signatureCheck(unsigned.json<ValidateDocument>())?.result).toBe('FAIL');

    const badKey = await runCli(['validate', '--zip', signedZip, '--trusted-key', keys.junk], { cwd: folder.path });
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toContain(keys.junk);
    const withoutZip = await runCli(['validate', '--trusted-key', keys.good], { cwd: folder.path });
    expect(withoutZip.code).toBe(2);
    expect(withoutZip.stderr).toContain('add --zip');
  });
});
