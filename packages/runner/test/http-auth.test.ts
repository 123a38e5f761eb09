import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/index.js';
import { createRunnerService, type RunnerService, serveRunner } from '../src/http/index.js';
import { isLoopbackHost } from '../src/http/exposure.js';

const token = 'test-token-0123456789abcdef';

describe('bearer-token authentication', () => {
  let service: RunnerService;
  let url: string;
  beforeAll(async () => {
    service = createRunnerService({ packages: [], port: 0, token, logger: silentLogger });
    url = await service.listen();
  });
  afterAll(() => service.close());

  it('leaves /health and /readyz open to probes; /readyz says ready or not and nothing else', async () => {
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const readyz = await fetch(`${url}/readyz`);
    expect(readyz.status).toBe(200);
    expect(await readyz.json()).toEqual({ ready: true });
  });

  it('refuses every other route without a token (401, WWW-Authenticate, code 3001), unknown routes too', async () => {
    for (const [method, path] of [
      ['GET', '/ready'],
      ['GET', '/metrics'],
      ['GET', '/'],
      ['POST', '/sessions'],
      ['POST', '/validate'],
      ['GET', '/no/such/route'],
    ] as const) {
      const response = await fetch(`${url}${path}`, { method });
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const body = (await response.json()) as { error: { code: string; name: string; message: string } };
      expect(body.error).toMatchObject({ code: '3001', name: 'unauthorized' });
      expect(body.error.message).toContain('Authorization: Bearer');
    }
  });

  it('refuses a wrong token, one of another length, and a non-Bearer scheme', async () => {
    for (const authorization of [
      `Bearer ${token.slice(0, -1)}x`,
      'Bearer short',
      `Bearer ${token}${token}`,
      `Basic ${Buffer.from(`user:${token}`).toString('base64')}`,
      token,
    ]) {
      const response = await fetch(`${url}/ready`, { headers: { authorization } });
      expect(response.status, authorization).toBe(401);
    }
  });

  it('accepts the right token (any case of the scheme)', async () => {
    expect((await fetch(`${url}/ready`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await fetch(`${url}/`, { headers: { authorization: `bearer ${token}` } })).status).toBe(200);
  });
});

describe('exposure beyond loopback', () => {
  let store: string;
  beforeAll(async () => {
    store = await mkdtemp(join(tmpdir(), 'procvision-auth-store-'));
  });
  afterAll(() => rm(store, { recursive: true, force: true }));

  it('tells loopback from other addresses', () => {
    for (const host of ['127.0.0.1', '127.3.4.5', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'station-7.example', '::ffff:10.0.0.1']) expect(isLoopbackHost(host), host).toBe(false);
  });

  it('refuses to listen beyond loopback without a token, with a one-line reason (3002)', async () => {
    const service = createRunnerService({ packages: [], host: '0.0.0.0', port: 0, logger: silentLogger });
    const error = await service.listen().catch((caught: unknown) => caught as Error & { code?: string });
    expect(error).toBeInstanceOf(Error);
    expect((error as { code?: string }).code).toBe('3002');
    expect((error as Error).message).not.toContain('\n');
    expect((error as Error).message).toMatch(/refusing to listen on 0\.0\.0\.0 without a token.*--token-file/);
    expect(service.server.listening).toBe(false);
  });

  it('refuses an empty token', () => {
    expect(() => createRunnerService({ packages: [], token: '  ', logger: silentLogger })).toThrow(/the token has 2 character\(s\) and whitespace/);
  });

  it('serveRunner beyond loopback requires signatures: without a trusted key it refuses to start unless allowUnsigned', async () => {
    const refused = await serveRunner({ store, host: '0.0.0.0', port: 0, token, logger: silentLogger, handleSignals: false }).catch(
      (caught: unknown) => caught as Error,
    );
    expect((refused as { code?: string }).code).toBe('3002');
    expect((refused as Error).message).toMatch(/requires signed packages.*--trusted-key.*--allow-unsigned/);
    const noToken = await serveRunner({ store, host: '10.1.2.3', port: 0, logger: silentLogger, handleSignals: false, allowUnsigned: true }).catch(
      (caught: unknown) => caught as Error,
    );
    expect((noToken as Error).message).toMatch(/without a token/);
  });

  it('serveRunner on loopback with a token serves and checks it', async () => {
    await writeFile(join(store, 'marker'), '');
    const served = await serveRunner({ store, port: 0, token, logger: silentLogger, handleSignals: false });
    try {
      expect((await fetch(`${served.url}/packages`)).status).toBe(401);
      expect((await fetch(`${served.url}/packages`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    } finally {
      await served.close();
    }
  });
});
