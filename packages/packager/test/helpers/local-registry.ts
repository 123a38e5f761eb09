import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { npmCliPath } from '../../src/process/npm-cli-path.js';

/** A real npm registry over HTTP on 127.0.0.1 holding the versions {@link LocalRegistry.publish} packed with npm. */
export interface LocalRegistry {
  /** `http://127.0.0.1:<port>/`. */
  url: string;
  /** Packs `name@version` (package.json plus `files`) with `npm pack` and serves it; `latest` moves to it. */
  publish(name: string, version: string, files?: Record<string, string | Buffer>, manifest?: Record<string, unknown>): void;
  /** Every request's url. */
  requests: string[];
  close(): Promise<void>;
}

interface Published {
  manifest: Record<string, unknown>;
  tarball: Buffer;
}

/** Starts a local registry on an ephemeral port; packs into `folder`. */
export async function startLocalRegistry(folder: string): Promise<LocalRegistry> {
  const packages = new Map<string, Map<string, Published>>();
  const requests: string[] = [];
  let base = '';
  const tarballPath = (name: string, version: string): string => `/${name}/-/${name.split('/').pop() ?? name}-${version}.tgz`;
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(request.url ?? '');
    requests.push(path);
    const versions = packages.get(path.slice(1));
    if (versions !== undefined) {
      const entries = Object.fromEntries(
        [...versions].map(([version, published]) => {
          const dist = {
            tarball: `${base}${tarballPath(path.slice(1), version).slice(1)}`,
            shasum: createHash('sha1').update(published.tarball).digest('hex'),
            integrity: `sha512-${createHash('sha512').update(published.tarball).digest('base64')}`,
          };
          return [version, { ...published.manifest, dist }];
        }),
      );
      const latest = [...versions.keys()].pop();
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name: path.slice(1), 'dist-tags': { latest }, versions: entries }));
      return;
    }
    for (const [name, byVersion] of packages) {
      for (const [version, published] of byVersion) {
        if (path === tarballPath(name, version)) {
          response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': published.tarball.length }).end(published.tarball);
          return;
        }
      }
    }
    response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url: base,
    requests,
    publish(name, version, files = { 'index.js': `module.exports = ${JSON.stringify(version)};\n` }, extra = {}) {
      const source = join(folder, 'sources', `${name.replace('/', '+')}@${version}`);
      mkdirSync(source, { recursive: true });
      const manifest = { name, version, main: 'index.js', license: 'MIT', ...extra };
      writeFileSync(join(source, 'package.json'), JSON.stringify(manifest));
      for (const [file, data] of Object.entries(files)) {
        mkdirSync(dirname(join(source, file)), { recursive: true });
        writeFileSync(join(source, file), data);
      }
      const packed = JSON.parse(
        execFileSync(process.execPath, [npmCliPath(), 'pack', '--json', '--ignore-scripts', '--pack-destination', source], { cwd: source, encoding: 'utf8' }),
      ) as Array<{ filename: string }>;
      const versions = packages.get(name) ?? new Map<string, Published>();
      versions.set(version, { manifest, tarball: readFileSync(join(source, packed[0]?.filename ?? '')) });
      packages.set(name, versions);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
