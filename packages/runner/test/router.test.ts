import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '../src/http/http-error.js';
import { createRequestHandler } from '../src/http/request-handler.js';
import { findRoute, type Route } from '../src/http/router.js';
import { ServiceMetrics } from '../src/http/service-metrics.js';
import { silentLogger } from '../src/logger.js';

const routes: Route[] = [
  { method: 'GET', pattern: '/packages', handle: () => ({ json: { list: true } }) },
  { method: 'POST', pattern: '/packages', handle: () => ({ status: 201, json: { installed: true } }) },
  { method: 'GET', pattern: '/packages/active', handle: () => ({ json: { active: true } }) },
  { method: 'GET', pattern: '/packages/:name/:version', handle: ({ params }) => ({ json: params }) },
  { method: 'DELETE', pattern: '/packages/:name/:version', handle: () => ({ status: 204 }) },
  { method: 'POST', pattern: '/sessions', handle: () => ({ status: 201, json: {} }) },
  { method: 'GET', pattern: '/metrics', handle: () => ({ text: 'metric 1\n', contentType: 'text/plain; version=0.0.4' }) },
];

function refusal(method: string, pathname: string): HttpError {
  try {
    findRoute(routes, method, pathname);
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error(`${method} ${pathname} was routed`);
}

describe('findRoute', () => {
  it('matches method and pattern, with URI-decoded parameters; the first matching pattern wins', () => {
    expect(findRoute(routes, 'POST', '/packages').route).toBe(routes[1]);
    const match = findRoute(routes, 'GET', '/packages/screw%20detector/1.0.0');
    expect(match.route.pattern).toBe('/packages/:name/:version');
    expect(match.params).toEqual({ name: 'screw detector', version: '1.0.0' });
    expect(findRoute(routes, 'GET', '/packages/active').route).toBe(routes[2]);
    expect(findRoute(routes, 'GET', '/packages/').route).toBe(routes[0]);
  });

  it('answers 404 for a path no pattern matches, naming the method and path', () => {
    for (const pathname of ['/nope', '/packages/a', '/packages/a/b/c', '/']) {
      const error = refusal('GET', pathname);
      expect(error.status).toBe(404);
      expect(error.code).toBe('not_found');
      expect(error.message).toContain(`GET ${pathname}`);
      expect(error.headers).toEqual({});
    }
  });

  it('answers 404 (not a throw of URIError) for a path that is not valid URI encoding', () => {
    const error = refusal('GET', '/packages/%E0%A4%A/1.0.0');
    expect(error.status).toBe(404);
    expect(error.message).toContain('not valid URI encoding');
  });

  it('answers 405 with an Allow header listing every method of the path (HEAD with GET, once each)', () => {
    const put = refusal('PUT', '/packages');
    expect(put.status).toBe(405);
    expect(put.code).toBe('method_not_allowed');
    expect(put.headers).toEqual({ allow: 'GET, HEAD, POST' });
    expect(put.message).toContain('PUT is not allowed on /packages; allowed: GET, HEAD, POST');
    expect(refusal('POST', '/packages/a/1.0.0').headers).toEqual({ allow: 'GET, HEAD, DELETE' });
    expect(refusal('GET', '/sessions').headers).toEqual({ allow: 'POST' });
    expect(refusal('HEAD', '/sessions').headers).toEqual({ allow: 'POST' });
  });

  it('routes HEAD to the GET route of the path', () => {
    expect(findRoute(routes, 'HEAD', '/packages').route).toBe(routes[0]);
    expect(findRoute(routes, 'HEAD', '/packages/a/2.0.0')).toMatchObject({ route: routes[3], params: { name: 'a', version: '2.0.0' } });
  });
});

describe('the router behind a real HTTP server', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    const handler = createRequestHandler({ routes, metrics: new ServiceMetrics(), logger: silentLogger, isClosing: () => false });
    server = createServer((request, response) => void handler(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** One raw request (fetch cannot show whether a HEAD answer carried body bytes). */
  function send(method: string, path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest({ host: '127.0.0.1', port, method, path }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
      });
      outgoing.on('error', reject);
      outgoing.end();
    });
  }

  it('sends 404 and 405 as error JSON, the 405 with its Allow header', async () => {
    const missing = await send('GET', '/nope');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toMatchObject({ error: { code: 'not_found', name: 'not_found' } });
    const wrong = await send('DELETE', '/packages');
    expect(wrong.status).toBe(405);
    expect(wrong.headers['allow']).toBe('GET, HEAD, POST');
    expect(JSON.parse(wrong.body)).toMatchObject({ error: { code: 'method_not_allowed' } });
  });

  it("answers HEAD on a GET route with the GET's status and headers and no body", async () => {
    const get = await send('GET', '/metrics');
    const head = await send('HEAD', '/metrics');
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toBe(get.headers['content-type']);
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(get.body)));
    expect(get.body).toBe('metric 1\n');
    expect(head.body).toBe('');
    const headJson = await send('HEAD', '/packages/a/1.0.0');
    expect(headJson.status).toBe(200);
    expect(headJson.body).toBe('');
  });
});
