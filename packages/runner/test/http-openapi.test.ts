import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/index.js';
import { createRunnerService, type RunnerService } from '../src/http/index.js';
import { openApiPath } from '../src/http/openapi/openapi-document.js';
import { routeDocs } from '../src/http/openapi/route-docs.js';
import { PackageStore } from '../src/store/index.js';

interface Operation {
  operationId: string;
  requestBody?: { content: Record<string, { schema: unknown }> };
  security?: unknown[];
}

describe('GET /openapi.json', () => {
  let directory: string;
  let service: RunnerService;
  let url: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'procvision-openapi-'));
    const store = await PackageStore.open(join(directory, 'store'));
    service = createRunnerService({ store, port: 0, logger: silentLogger });
    url = await service.listen();
  });
  afterAll(async () => {
    await service.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('validates as OpenAPI 3.1', async () => {
    const document = (await (await fetch(`${url}/openapi.json`)).json()) as Record<string, unknown>;
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('lists every route the router has, no more', async () => {
    const document = (await (await fetch(`${url}/openapi.json`)).json()) as { paths: Record<string, Record<string, Operation>> };
    const routes = ((await (await fetch(`${url}/`)).json()) as { routes: string[] }).routes;
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const served = routes.map((route) => {
      const [method, pattern] = route.split(' ');
      return `${method} ${openApiPath(pattern!)}`;
    });
    expect(served).toContain('GET /openapi.json');
    expect(documented.sort()).toEqual([...served].sort());
    // The route table has no entry for a route that does not exist (a service with a store has them all).
    expect(Object.keys(routeDocs).sort()).toEqual([...routes].sort());
    const operationIds = Object.values(document.paths).flatMap((operations) => Object.values(operations).map((operation) => operation.operationId));
    expect(new Set(operationIds).size).toBe(operationIds.length);
  });

  it('describes request bodies with the zod schemas the routes validate with', async () => {
    const document = (await (await fetch(`${url}/openapi.json`)).json()) as { paths: Record<string, Record<string, Operation>> };
    const step = document.paths['/sessions/{id}/steps']!.post!.requestBody!.content['application/json']!.schema as {
      required: string[];
      properties: Record<string, unknown>;
    };
    expect(step.required).toEqual(expect.arrayContaining(['step_index', 'image']));
    expect(Object.keys(step.properties)).toEqual(expect.arrayContaining(['step_index', 'image', 'image_meta', 'user_params']));
    expect(Object.keys(document.paths['/packages']!.post!.requestBody!.content)).toEqual(expect.arrayContaining(['application/zip', 'application/json']));
    expect(document.paths['/health']!.get!.security).toEqual([]);
    const answer = await fetch(`${url}/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pid: '' }) });
    expect(answer.status).toBe(400);
  });
});
