import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { npmCliPath } from '../../src/process/npm-cli-path.js';

/** A real npm registry over HTTP on 127.0.0.1 that serves one scoped package to bearer-token holders only. */
export interface TokenRegistry {
  url: string;
  token: string;
  /** Every request: method, url, whether it carried the token. */
  requests: Array<{ url: string; authorized: boolean }>;
  close(): Promise<void>;
}

/**
 * Packs `@acme/widget@1.0.0` with npm and serves its packument and tarball the way a private
 * registry does: 401 without `Authorization: Bearer <token>`, 404 for any other package.
 */
export async function startTokenRegistry(folder: string): Promise<TokenRegistry> {
  const token = `npm_secret_${createHash('sha256').update(folder).digest('hex').slice(0, 24)}`;
  const source = join(folder, 'widget-src');
  mkdirSync(source, { recursive: true });
  writeFileSync(join(source, 'package.json'), JSON.stringify({ name: '@acme/widget', version: '1.0.0', main: 'index.js' }));
  writeFileSync(join(source, 'index.js'), 'module.exports = 42;\n');
  const packed = JSON.parse(
    execFileSync(process.execPath, [npmCliPath(), 'pack', '--json', '--ignore-scripts', '--pack-destination', folder], { cwd: source, encoding: 'utf8' }),
  ) as Array<{ filename: string }>;
  const tarball = readFileSync(join(folder, packed[0]?.filename ?? ''));
  const requests: TokenRegistry['requests'] = [];
  const server: Server = createServer((request, response) => {
    const authorized = request.headers.authorization === `Bearer ${token}`;
    requests.push({ url: request.url ?? '', authorized });
    if (!authorized) {
      response.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' }).end('{"error":"authentication required"}');
      return;
    }
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const path = decodeURIComponent(request.url ?? '');
    if (path === '/@acme/widget') {
      const dist = {
        tarball: `${base}/@acme/widget/-/widget-1.0.0.tgz`,
        shasum: createHash('sha1').update(tarball).digest('hex'),
        integrity: `sha512-${createHash('sha512').update(tarball).digest('base64')}`,
      };
      const version = { name: '@acme/widget', version: '1.0.0', main: 'index.js', dist };
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ name: '@acme/widget', 'dist-tags': { latest: '1.0.0' }, versions: { '1.0.0': version } }));
      return;
    }
    if (path === '/@acme/widget/-/widget-1.0.0.tgz') {
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': tarball.length }).end(tarball);
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    token,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
