// Frames as bytes over HTTP: JPEG/PNG bodies, raw GRAY8/RGB8/BGR8 pixels with their fields in the
// query or X-ProcVision-* headers, reaching the real algorithm's shared memory with exact bytes;
// bad sizes, formats and lengths refused with a 4xx naming the field before any frame is written.
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { adapterBinPath } from '@procvision/sdk';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunnerService, type RunnerService } from '../src/http/index.js';
import { silentLogger } from '../src/index.js';
import { fastConfig } from './helpers.js';

const adapter = { command: process.execPath, args: [adapterBinPath] };
const frameBytes = { root: fileURLToPath(new URL('./fixtures/real-algo/', import.meta.url)), adapter };
const width = 40;
const height = 30;

function pattern(channels: number): Buffer {
  const pixels = Buffer.alloc(width * height * channels);
  for (let index = 0; index < pixels.length; index += 1) pixels[index] = (index * 7 + (index >> 5)) & 0xff;
  return pixels;
}
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const segmentsOfThisProcess = () => readdirSync('/dev/shm').filter((name) => name.startsWith(`pv-${process.pid}-`));

describe('frames as bytes over HTTP', () => {
  let service: RunnerService;
  let url: string;
  beforeAll(async () => {
    service = createRunnerService({ packages: [frameBytes], runnerConfig: fastConfig, port: 0, logger: silentLogger, limits: { maxFramePixels: 100_000 } });
    url = await service.listen();
  });
  afterAll(async () => {
    await service.close();
  });

  const post = async (path: string, body: Uint8Array | string, headers: Record<string, string>) => {
    const response = await fetch(`${url}${path}`, { method: 'POST', headers, body });
    const json = (await response.json()) as Record<string, any>;
    return { status: response.status, json };
  };

  it('a wrong size, format or length is a 4xx naming the field, and nothing reaches shared memory', async () => {
    const rgb = pattern(3);
    const raw = { 'content-type': 'application/octet-stream' };
    const cases: Array<[string, Uint8Array, Record<string, string>, string]> = [
      [`/execute?pid=A01&step_index=1&width=${width}&height=${height}&format=RGB8`, rgb.subarray(1), raw, 'image'],
      [`/execute?pid=A01&step_index=1&width=${width}&height=${height}&format=RGBA8`, rgb, raw, 'format'],
      [`/execute?pid=A01&step_index=1&height=${height}&format=RGB8`, rgb, raw, 'width'],
      [`/execute?pid=A01&step_index=1&width=${width}&height=${height}`, rgb, raw, 'format'],
      [`/execute?pid=A01&step_index=1&width=-4&height=${height}&format=RGB8`, rgb, raw, 'width'],
      [`/execute?pid=A01&step_index=one&width=${width}&height=${height}&format=RGB8`, rgb, raw, 'step_index'],
      [`/execute?pid=A01&step_index=1&width=${width}&height=${height}&format=RGB8&user_params={oops`, rgb, raw, 'user_params'],
      [`/execute?pid=A01&step_index=1&widht=${width}&height=${height}&format=RGB8`, rgb, raw, 'widht'],
      [`/execute?pid=A01&step_index=1&width=1000&height=1000&format=GRAY8`, Buffer.alloc(1_000_000), raw, 'image'],
      ['/execute?pid=A01&step_index=1', Buffer.from('not a jpeg'), { 'content-type': 'image/jpeg' }, 'image'],
      ['/execute?pid=A01&step_index=1', rgb, { 'content-type': 'image/gif' }, 'Content-Type'],
    ];
    for (const [path, body, headers, field] of cases) {
      const answer = await post(path, body, headers);
      expect(answer.status, `${path}: ${JSON.stringify(answer.json)}`).toBeGreaterThanOrEqual(400);
      expect(answer.status, path).toBeLessThan(500);
      expect(answer.json.error.message, path).toContain(field);
    }
    expect(segmentsOfThisProcess()).toEqual([]);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).not.toMatch(/procvision_calls_total\{[^}]*phase="execute"/);
  });

  it.each([
    ['GRAY8', 1, 'GRAY'],
    ['RGB8', 3, 'RGB'],
    ['BGR8', 3, 'BGR'],
  ] as const)('a raw %s frame reaches the algorithm with exact pixels (query and headers)', async (format, channels, colorSpace) => {
    const pixels = pattern(channels);
    const viaQuery = await post(
      `/execute?pid=A01&step_index=1&width=${width}&height=${height}&format=${format}&user_params=${encodeURIComponent('{"hash":true}')}`,
      pixels,
      {
        'content-type': 'application/octet-stream',
      },
    );
    expect(viaQuery.status, JSON.stringify(viaQuery.json)).toBe(200);
    expect(viaQuery.json.execute.debug.frame).toEqual({ sha256: sha256(pixels), encoding: 'raw', color_space: colorSpace, channels });

    const created = await fetch(`${url}/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pid: 'A01' }) });
    const { session_id: id } = (await created.json()) as { session_id: string };
    const viaHeaders = await post(`/sessions/${id}/steps`, pixels, {
      'content-type': 'application/octet-stream',
      'x-procvision-step-index': '1',
      'x-procvision-width': String(width),
      'x-procvision-height': String(height),
      'x-procvision-format': format,
      'x-procvision-camera-id': 'cam-7',
      'x-procvision-user-params': '{"hash":true}',
    });
    expect(viaHeaders.status, JSON.stringify(viaHeaders.json)).toBe(200);
    expect(viaHeaders.json.execute.debug.frame.sha256).toBe(sha256(pixels));
  });

  it('JPEG and PNG bodies reach the algorithm as they came; Base64 JSON with image_meta.format is raw too', async () => {
    const image = sharp({ create: { width, height, channels: 3, background: { r: 200, g: 100, b: 50 } } });
    for (const [type, bytes] of [
      ['image/jpeg', await image.clone().jpeg().toBuffer()],
      ['image/png', await image.clone().png().toBuffer()],
    ] as const) {
      const answer = await post(`/execute?pid=A01&step_index=1&user_params=${encodeURIComponent('{"hash":true}')}`, bytes, { 'content-type': type });
      expect(answer.status, JSON.stringify(answer.json)).toBe(200);
      expect(answer.json.execute.debug.frame).toMatchObject({ sha256: sha256(bytes), encoding: type === 'image/jpeg' ? 'jpeg' : 'png' });
    }
    const pixels = pattern(3);
    const json = await post(
      '/execute',
      JSON.stringify({
        pid: 'A01',
        step_index: 1,
        image: pixels.toString('base64'),
        image_meta: { width, height, format: 'BGR8' },
        user_params: { hash: true },
      }),
      { 'content-type': 'application/json' },
    );
    expect(json.status, JSON.stringify(json.json)).toBe(200);
    expect(json.json.execute.debug.frame).toMatchObject({ sha256: sha256(pixels), color_space: 'BGR' });
  });
});
