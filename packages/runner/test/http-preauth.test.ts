import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunnerService, type RunnerService } from '../src/http/index.js';
import { silentLogger } from '../src/index.js';

let service: RunnerService;
let port = 0;
beforeAll(async () => {
  service = createRunnerService({ packages: [], port: 0, host: '127.0.0.1', token: 'station-secret-0123456789', logger: silentLogger });
  port = Number(new URL(await service.listen()).port);
});
afterAll(() => service.close());

/** One GET on a fresh connection: status and time taken. */
function probe(path: string): Promise<{ status: number; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const call = request({ host: '127.0.0.1', port, path, agent: false, timeout: 5_000 }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, ms: Date.now() - started }));
    });
    call.on('timeout', () => call.destroy());
    call.on('error', () => resolve({ status: 0, ms: Date.now() - started }));
    call.end();
  });
}

interface Held {
  socket: Socket;
  openedAt: number;
  closedAt?: number;
  received: string;
}

/** A slow client: headers one line a second (slowloris), or a whole unauthenticated header block then a body trickling in. */
function slowClient(kind: 'headers' | 'body'): Held {
  const socket = connect({ host: '127.0.0.1', port });
  const held: Held = { socket, openedAt: Date.now(), received: '' };
  let timer: NodeJS.Timeout | undefined;
  socket.on('data', (chunk: Buffer) => (held.received += chunk.toString()));
  socket.on('error', () => undefined);
  socket.on('close', () => {
    held.closedAt = Date.now();
    clearInterval(timer);
  });
  socket.on('connect', () => {
    if (kind === 'headers') {
      socket.write('POST /sessions HTTP/1.1\r\nHost: station\r\n');
      timer = setInterval(() => socket.write(`X-Slow-${String(Date.now())}: 1\r\n`), 1_000);
    } else {
      socket.write('POST /packages HTTP/1.1\r\nHost: station\r\nContent-Type: application/zip\r\nContent-Length: 104857600\r\n\r\n');
      timer = setInterval(() => socket.write(Buffer.alloc(1024)), 200);
    }
  });
  return held;
}

describe('pre-auth and connection limits', () => {
  it('300 slow unauthenticated sockets: /health answers 20 of 20 within 1 s each, every slow socket is closed within 10 s', async () => {
    const held: Held[] = [];
    for (let index = 0; index < 300; index += 1) held.push(slowClient(index % 2 === 0 ? 'headers' : 'body'));
    // Every slot is held once all 300 are connected and talking.
    const serverConnections = (): Promise<number> => new Promise((resolve) => service.server.getConnections((_error, count) => resolve(count)));
    while (held.some((client) => client.socket.connecting) || (await serverConnections()) < 150) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const probes: Array<{ status: number; ms: number }> = [];
    for (let index = 0; index < 20; index += 1) {
      probes.push(await probe('/health'));
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    process.stdout.write(`health ms: ${probes.map((answer) => answer.ms).join(',')}\n`);
    expect(probes.map((answer) => answer.status)).toEqual(Array.from({ length: 20 }, () => 200));
    expect(Math.max(...probes.map((answer) => answer.ms))).toBeLessThan(1_000);
    const deadline = Date.now() + 12_000;
    while (held.some((client) => client.closedAt === undefined) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    for (const client of held) client.socket.destroy();
    const lifetimes = held.map((client) => (client.closedAt ?? Number.POSITIVE_INFINITY) - client.openedAt);
    process.stdout.write(
      `slow sockets: longest life ${String(Math.max(...lifetimes))} ms; /health slowest ${String(Math.max(...probes.map((answer) => answer.ms)))} ms\n`,
    );
    expect(Math.max(...lifetimes)).toBeLessThan(10_000);
    // The unauthenticated uploads were answered 401 at once, their bodies never waited for.
    const bodies = held.filter((_, index) => index % 2 === 1);
    expect(bodies.filter((client) => client.received.startsWith('HTTP/1.1 401')).length).toBeGreaterThan(0);
  }, 60_000);

  it('an early 401 closes the connection instead of reading the rest of the body', async () => {
    const client = slowClient('body');
    const deadline = Date.now() + 5_000;
    while (client.closedAt === undefined && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(client.received).toMatch(/^HTTP\/1\.1 401/);
    expect(client.received.toLowerCase()).toContain('connection: close');
    expect(client.closedAt! - client.openedAt).toBeLessThan(2_000);
  });

  it('beyond the per-client cap a connection may only ask /health (503 + Retry-After otherwise)', async () => {
    const held: Held[] = [];
    for (let index = 0; index < 70; index += 1) held.push(slowClient('headers'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const other = await new Promise<{ status: number; retryAfter: string | undefined }>((resolve) => {
      const call = request(
        { host: '127.0.0.1', port, path: '/ready', agent: false, headers: { authorization: 'Bearer station-secret-0123456789' } },
        (response) => {
          response.resume();
          resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'] });
        },
      );
      call.on('error', () => resolve({ status: 0, retryAfter: undefined }));
      call.end();
    });
    expect(other).toEqual({ status: 503, retryAfter: '1' });
    expect((await probe('/health')).status).toBe(200);
    for (const client of held) client.socket.destroy();
  }, 30_000);
});
