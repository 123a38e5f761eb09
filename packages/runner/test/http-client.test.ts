import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunnerClient, RunnerClientError } from '../src/client/index.js';
import { silentLogger } from '../src/index.js';
import { createRunnerService, type RunnerService } from '../src/http/index.js';
import { PackageStore } from '../src/store/index.js';

/** The modules a source file loads at run time (type-only imports left out), followed recursively. */
async function runtimeImports(file: string, seen = new Set<string>()): Promise<Set<string>> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const source = await readFile(file, 'utf8');
  for (const match of source.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'([^']+)'/gms)) {
    const specifier = match[1]!;
    if (specifier.startsWith('.')) await runtimeImports(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')), seen);
    else seen.add(specifier);
  }
  return seen;
}

describe('RunnerClient (the /client entry point)', () => {
  let directory: string;
  let service: RunnerService;
  let url: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'procvision-client-'));
    service = createRunnerService({ store: await PackageStore.open(join(directory, 'store')), port: 0, logger: silentLogger });
    url = await service.listen();
  });
  afterAll(async () => {
    await service.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('loads no server code: no node:http, no node:fs, no zod at run time', async () => {
    const imports = await runtimeImports(fileURLToPath(new URL('../src/client/index.ts', import.meta.url)));
    const external = [...imports].filter((entry) => !entry.startsWith('/'));
    expect(external).toEqual([]);
  });

  it('reads health, readiness, packages and the OpenAPI document', async () => {
    const client = new RunnerClient({ url: `${url}/`, requestIdPrefix: 'test' });
    expect(await client.health()).toMatchObject({ status: 'ok' });
    expect(await client.ready()).toMatchObject({ ready: true, packages: [] });
    expect(await client.listPackages()).toEqual({ packages: [] });
    expect((await client.openApi()).openapi).toBe('3.1.0');
    expect(await client.metrics()).toContain('procvision_build_info');
  });

  it('turns error bodies into RunnerClientError with status, code and request id', async () => {
    const client = new RunnerClient({ url, requestIdPrefix: 'fleet-cli' });
    const failure = await client.activate('nope', '1.0.0', ['A01']).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RunnerClientError);
    expect(failure).toMatchObject({ status: expect.any(Number), code: expect.any(String), requestId: expect.stringMatching(/^fleet-cli-\d+$/) });
    expect((failure as RunnerClientError).status).toBeGreaterThanOrEqual(400);
    expect((failure as RunnerClientError).status).toBeLessThan(500);
    const invalid = await client.execute({ pid: '', step_index: 1, image: 'x' }).catch((error: unknown) => error);
    expect(invalid).toMatchObject({ status: 400, code: '1006' });
  });

  it('names an unreachable station and refuses a non-URL up front', async () => {
    const client = new RunnerClient({ url: 'http://127.0.0.1:9', timeoutMs: 2_000 });
    await expect(client.health()).rejects.toMatchObject({ status: 0, code: 'unreachable' });
    expect(() => new RunnerClient({ url: 'station-7' })).toThrow(/not a URL/);
  });
});
