import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adapterBinPath } from '@procvision/sdk';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { RunnerClient, RunnerClientError } from '../src/client/index.js';
import { silentLogger } from '../src/index.js';
import { createRunnerService, serveRunner } from '../src/http/index.js';

const folder = mkdtempSync(join(tmpdir(), 'procvision-tls-tokens-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const frameBytes = { root: fileURLToPath(new URL('./fixtures/real-algo/', import.meta.url)), adapter: { command: process.execPath, args: [adapterBinPath] } };
const tokenA = 'station-token-a-0123456789abcdef';
const tokenB = 'station-token-b-fedcba9876543210';

async function status(url: string, token: string): Promise<number> {
  return (await fetch(`${url}/packages`, { headers: { authorization: `Bearer ${token}` } })).status;
}

describe('bearer tokens', () => {
  it('refuses a one-character token and the placeholder of the deploy examples at start (3002)', async () => {
    expect(() => createRunnerService({ packages: [], token: 'x', logger: silentLogger })).toThrow(
      /the runner token: the token has 1 character\(s\); put a random token of at least 16/,
    );
    expect(() => createRunnerService({ packages: [], token: 'REPLACE-WITH-A-LONG-RANDOM-TOKEN', logger: silentLogger })).toThrow(/placeholder/);
    expect(() => createRunnerService({ packages: [], token: 'aaaaaaaaaaaaaaaaaaaaaaaa', logger: silentLogger })).toThrow(/placeholder/);
    const file = join(folder, 'placeholder.token');
    writeFileSync(file, 'REPLACE-WITH-A-LONG-RANDOM-TOKEN\n');
    const refused = await serveRunner({ store: join(folder, 'store-p'), port: 0, tokenFile: file, handleSignals: false, logger: silentLogger }).catch(
      (error: unknown) => error,
    );
    expect(refused).toMatchObject({ code: '3002', message: expect.stringContaining(`token file ${file} line 1: the token is a placeholder`) });
  });

  it('re-reads a rotated token file: both tokens during the rotation, then only the new one; a bad edit keeps the old ones', async () => {
    const file = join(folder, 'rotating.token');
    writeFileSync(file, `${tokenA}\n`);
    const served = await serveRunner({
      store: join(folder, 'store-r'),
      port: 0,
      tokenFile: file,
      tokenFilePollMs: 50,
      handleSignals: false,
      logger: silentLogger,
    });
    try {
      expect(await status(served.url, tokenA)).toBe(200);
      expect(await status(served.url, tokenB)).toBe(401);
      writeFileSync(file, `# rotation in progress\n${tokenB}\n${tokenA}\n`);
      const deadline = Date.now() + 5000;
      while ((await status(served.url, tokenB)) !== 200 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await status(served.url, tokenB)).toBe(200);
      expect(await status(served.url, tokenA)).toBe(200);
      writeFileSync(file, `${tokenB}\n`);
      while ((await status(served.url, tokenA)) !== 401 && Date.now() < deadline + 5000) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await status(served.url, tokenA)).toBe(401);
      writeFileSync(file, 'short\n');
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(await status(served.url, tokenB)).toBe(200);
    } finally {
      await served.close();
    }
  }, 30_000);
});

describe('TLS', () => {
  it('serves HTTPS with --tls-cert/--tls-key; the typed client runs a step over it trusting the certificate as its CA', async () => {
    const cert = join(folder, 'cert.pem');
    const key = join(folder, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    const service = createRunnerService({
      packages: [frameBytes],
      port: 0,
      token: tokenA,
      tls: { cert: readFileSync(cert), key: readFileSync(key) },
      logger: silentLogger,
    });
    const url = await service.listen();
    try {
      expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const untrusted = new RunnerClient({ url, token: tokenA });
      await expect(untrusted.health()).rejects.toBeInstanceOf(RunnerClientError);
      const client = new RunnerClient({ url, token: tokenA, ca: readFileSync(cert) });
      expect(await client.health()).toMatchObject({ status: 'ok' });
      const image = (
        await sharp({ create: { width: 64, height: 48, channels: 3, background: '#406080' } })
          .jpeg()
          .toBuffer()
      ).toString('base64');
      const answer = await client.execute({ pid: 'A01', step_index: 1, image });
      expect(answer).toMatchObject({ status: 'OK' });
      await expect(new RunnerClient({ url, token: tokenB, ca: readFileSync(cert) }).listPackages()).rejects.toMatchObject({ status: 401, code: '3001' });
    } finally {
      await service.close();
    }
  }, 60_000);
});
