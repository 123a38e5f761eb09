import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The service runs in its own process so its peak RSS (VmHWM) is its own, not the test's.
const httpEntry = fileURLToPath(new URL('../dist/http/index.js', import.meta.url));
const indexEntry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const serviceScript = `
const { createRunnerService } = await import(${JSON.stringify(httpEntry)});
const { silentLogger } = await import(${JSON.stringify(indexEntry)});
const service = createRunnerService({ packages: [], port: 0, host: '127.0.0.1', logger: silentLogger });
console.log(await service.listen());
process.on('SIGTERM', () => service.close().then(() => process.exit(0)));
`;

let child: ChildProcess;
let url = '';
beforeAll(async () => {
  child = spawn(process.execPath, ['--input-type=module', '-e', serviceScript], { stdio: ['ignore', 'pipe', 'inherit'] });
  url = await new Promise<string>((resolve) => child.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim())));
});
afterAll(() => {
  child.kill('SIGKILL');
});

const peakRssBytes = (pid: number): number => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${String(pid)}/status`, 'utf8'))![1]) * 1024;

/** POSTs the same body; resolves with the status and Retry-After (0 when the connection was cut). */
function post(path: string, body: Buffer): Promise<{ status: number; retryAfter: string | undefined }> {
  const target = new URL(path, url);
  return new Promise((resolve) => {
    const call = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': body.byteLength },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'] }));
      },
    );
    call.on('error', () => resolve({ status: 0, retryAfter: undefined }));
    call.end(body);
  });
}

describe('a memory budget across requests', () => {
  it('32 parallel 60 MiB JSON bodies: peak RSS under 1 GiB, the excess 503 with Retry-After, no 500', async () => {
    const size = 60 * 1024 * 1024;
    const prefix = Buffer.from('{"pid":"A01","step_index":1,"image":{"data":"');
    const suffix = Buffer.from('"}}');
    const body = Buffer.alloc(size, 0x41);
    prefix.copy(body, 0);
    suffix.copy(body, size - suffix.byteLength);
    const answers = await Promise.all(Array.from({ length: 32 }, () => post('/execute', body)));
    const peak = peakRssBytes(child.pid!);
    const statuses = answers.map((answer) => answer.status);
    process.stdout.write(
      `memory budget: peak RSS ${String(Math.round(peak / 1024 / 1024))} MiB; statuses ${JSON.stringify(statuses.reduce<Record<number, number>>((counts, status) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }), {}))}\n`,
    );
    expect(peak).toBeLessThan(1024 * 1024 * 1024);
    expect(statuses.filter((status) => status >= 500 && status !== 503)).toEqual([]);
    // A client still writing its 60 MiB when the early 503 closes the connection may see the
    // reset before it reads the answer (status 0 here): refused all the same, never a 500.
    const refused = answers.filter((answer) => answer.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of refused) expect(answer.retryAfter).toBe('1');
    expect(statuses.filter((status) => status !== 503).length).toBeGreaterThan(0);
  }, 120_000);
});
