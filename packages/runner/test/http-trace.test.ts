import { fileURLToPath } from 'node:url';
import { adapterBinPath } from '@procvision/sdk';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LogEntry } from '../src/index.js';
import { createRunnerService, type RunnerService } from '../src/http/index.js';
import { traceIdFromTraceparent } from '../src/trace-context.js';
import { fastConfig } from './helpers.js';

const adapter = { command: process.execPath, args: [adapterBinPath] };
const scripted = { root: fileURLToPath(new URL('../../sdk/test/fixtures/scripted/', import.meta.url)), adapter };

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const traceparent = `00-${traceId}-00f067aa0ba902b7-01`;

describe('trace context: one id from the request to the access line, the runner log, the algorithm log and the response', () => {
  let service: RunnerService;
  let url: string;
  let image: string;
  const logs: LogEntry[] = [];

  beforeAll(async () => {
    image = (
      await sharp({ create: { width: 32, height: 24, channels: 3, background: { r: 90, g: 90, b: 90 } } })
        .png()
        .toBuffer()
    ).toString('base64');
    service = createRunnerService({ packages: [scripted], runnerConfig: fastConfig, port: 0, logger: { log: (entry) => logs.push(entry) } });
    url = await service.listen();
  });
  afterAll(async () => {
    await service.close();
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const access = (route: string) => logs.filter((entry) => entry.fields?.kind === 'access' && entry.fields.route === route);

  it('a traceparent on a session step: its trace id in the access line, the runner line, the algorithm line and the step response', async () => {
    const opened = await post('/sessions', { pid: 'A01' });
    const created = (await opened.json()) as { session_id: string };
    expect(opened.status, JSON.stringify(created) + JSON.stringify(logs.slice(0, 8))).toBe(201);
    const response = await post(`/sessions/${created.session_id}/steps`, { step_index: 1, image, user_params: { behaviour: 'log' } }, { traceparent });
    const body = (await response.json()) as { status: string; trace_id?: string; session_id: string };
    expect(body).toMatchObject({ status: 'OK', trace_id: traceId, session_id: created.session_id });

    await vi.waitFor(() => {
      const line = access('/sessions/:id/steps').at(-1);
      expect(line).toMatchObject({ traceId, sessionId: created.session_id, fields: { status: 200 } });
    });
    const runnerLine = logs.find((entry) => entry.source === 'runner' && entry.message.startsWith('step 1 of A01 OK'));
    expect(runnerLine).toMatchObject({ level: 'debug', traceId, sessionId: created.session_id, packageName: 'scripted' });
    // The algorithm's own logger line (this.logger.info in execute) carries the trace id itself, and the runner tags it too.
    await vi.waitFor(() => {
      const algorithmLine = logs.find((entry) => entry.source === 'algorithm' && entry.message === 'structured log' && entry.traceId === traceId);
      expect(algorithmLine).toMatchObject({ traceId, sessionId: created.session_id, fields: { trace_id: traceId, algorithm: 'ScriptedAlgorithm', step: 1 } });
    });
  });

  it('one-shot /execute: context.trace_id without a header is the trace id; the access line names its session', async () => {
    const response = await post('/execute', { pid: 'A01', step_index: 1, image, user_params: { behaviour: 'log' }, context: { trace_id: 'line-7-part-0042' } });
    const body = (await response.json()) as { session_id: string; trace_id?: string };
    expect(body.trace_id).toBe('line-7-part-0042');
    await vi.waitFor(() => expect(access('/execute').at(-1)).toMatchObject({ traceId: 'line-7-part-0042', sessionId: body.session_id }));
    await vi.waitFor(() => {
      const line = logs.find((entry) => entry.source === 'algorithm' && entry.message === 'structured log' && entry.sessionId === body.session_id);
      expect(line?.fields?.trace_id).toBe('line-7-part-0042');
    });
  });

  it('a traceparent on /execute wins over no context and reaches the algorithm as context.trace_id; a session created with one keeps it', async () => {
    const response = await post('/execute', { pid: 'A01', step_index: 1, image, user_params: { behaviour: 'log' } }, { traceparent });
    expect(((await response.json()) as { trace_id?: string }).trace_id).toBe(traceId);
    const created = (await (await post('/sessions', { pid: 'A01', context: { operator: 'li' } }, { traceparent })).json()) as {
      context: Record<string, unknown>;
    };
    expect(created.context).toEqual({ operator: 'li', trace_id: traceId });
  });

  it('every route takes it: GET /ready and a 404 carry the trace id in their access lines; an invalid traceparent is ignored', async () => {
    await fetch(`${url}/ready`, { headers: { traceparent } });
    await fetch(`${url}/no-such-route`, { headers: { traceparent } });
    await fetch(`${url}/health`, { headers: { traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' } });
    await vi.waitFor(() => {
      expect(access('/ready').at(-1)).toMatchObject({ traceId });
      expect(access('unmatched').at(-1)).toMatchObject({ traceId, fields: { status: 404 } });
      expect(access('/health').at(-1)?.traceId).toBeUndefined();
    });
  });

  it('traceparent parsing follows W3C Trace Context', () => {
    expect(traceIdFromTraceparent(traceparent)).toBe(traceId);
    expect(traceIdFromTraceparent(`01-${traceId}-00f067aa0ba902b7-01-future`)).toBe(traceId);
    for (const bad of [
      undefined,
      '',
      `00-${traceId}-00f067aa0ba902b7-01-extra`,
      `ff-${traceId}-00f067aa0ba902b7-01`,
      `00-${traceId.toUpperCase()}-00f067aa0ba902b7-01`,
      `00-${traceId}-0000000000000000-01`,
      `00-${traceId}-00f067aa0ba902b7`,
      ['a', 'b'],
    ])
      expect(traceIdFromTraceparent(bad as string | undefined)).toBeUndefined();
  });
});
