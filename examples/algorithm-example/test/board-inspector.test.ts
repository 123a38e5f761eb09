import { clearDevImage, writeDevImageBytes, writeDevPixels } from '@procvision/shm';
import { Session } from '@procvision/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSamplePng, sampleSize } from '../scripts/sample-images.mjs';
import { BoardInspector } from '../src/main.js';

const imageMeta = { ...sampleSize, timestamp_ms: 1714032000123, camera_id: 'cam-01', color_space: 'RGB' as const };
const roi = { x: 100, y: 100, width: 440, height: 280 };
const algorithm = new BoardInspector();

beforeAll(async () => {
  writeDevImageBytes('dev-shm:ok', await renderSamplePng('ok'), sampleSize);
  writeDevImageBytes('dev-shm:ng', await renderSamplePng('ng'), sampleSize);
  writeDevPixels('dev-shm:dark', new Uint8Array(sampleSize.width * sampleSize.height * 3).fill(10), { ...sampleSize, channels: 3, colorSpace: 'RGB' });
});
afterAll(() => {
  for (const id of ['dev-shm:ok', 'dev-shm:ng', 'dev-shm:dark']) clearDevImage(id);
});

describe('BoardInspector (called directly)', () => {
  it('describes two steps for p001 and p002', () => {
    const info = algorithm.getInfo();
    expect(info.supported_pids).toEqual(['p001', 'p002']);
    expect(info.steps.map((step) => step.name)).toEqual(['locate board', 'check top-left screw']);
  });

  it('pre checks brightness and returns calibration rects', async () => {
    const session = new Session({ id: 's-1' });
    const pre = await algorithm.preExecute(1, 'p001', session, { roi, exposure: 12.5 }, 'dev-shm:ok', imageMeta);
    expect(pre).toMatchObject({ status: 'OK', data: { calibration_rects: [{ ...roi, label: 'roi' }] } });
    const dark = await algorithm.preExecute(1, 'p001', session, { roi, exposure: 12.5 }, 'dev-shm:dark', imageMeta);
    expect(dark).toMatchObject({ status: 'ERROR', error_code: '1002' });
    expect(dark.message).toContain('too dark');
  });

  it('locates the board (OK) and remembers it in the session for step 2', async () => {
    const session = new Session({ id: 's-2' });
    const located = await algorithm.execute(1, 'p001', session, { roi, exposure: 12.5 }, 'dev-shm:ok', imageMeta);
    expect(located).toMatchObject({ status: 'OK', data: { result_status: 'OK', position_rects: [{ x: 40, y: 40, width: 560, height: 400, label: 'board' }] } });
    expect(session.get('board')).toEqual({ x: 40, y: 40, width: 560, height: 400 });
    const screw = await algorithm.execute(2, 'p001', session, { threshold: 0.7, mode: 'fast' }, 'dev-shm:ok', imageMeta);
    expect(screw).toMatchObject({ status: 'OK', data: { result_status: 'OK' } });
    const [rect] = screw.data?.position_rects ?? [];
    expect(rect).toMatchObject({ label: 'screw' });
    expect(rect!.x).toBeGreaterThanOrEqual(56);
    expect(rect!.x + rect!.width).toBeLessThanOrEqual(84);
  });

  it('reports the stain (step 1) and the missing screw (step 2) of the NG board', async () => {
    const session = new Session({ id: 's-3' });
    const stained = await algorithm.execute(1, 'p002', session, { roi, exposure: 12.5 }, 'dev-shm:ng', imageMeta);
    expect(stained).toMatchObject({ status: 'OK', data: { result_status: 'NG', ng_reason: 'dark spot on board' } });
    const [spot] = stained.data?.defect_rects ?? [];
    expect(spot!.x).toBeGreaterThanOrEqual(300);
    expect(spot!.x + spot!.width).toBeLessThanOrEqual(340);
    for (const mode of ['fast', 'accurate']) {
      const screw = await algorithm.execute(2, 'p002', session, { threshold: 0.7, mode }, 'dev-shm:ng', imageMeta);
      expect(screw).toMatchObject({
        status: 'OK',
        data: { result_status: 'NG', ng_reason: 'top-left screw missing', defect_rects: [{ x: 40, y: 40, width: 160, height: 120 }] },
      });
    }
  });

  it('gives the same answer every time', async () => {
    const answers = await Promise.all(
      [1, 2, 3].map(() => algorithm.execute(1, 'p001', new Session({ id: 's' }), { roi, exposure: 12.5 }, 'dev-shm:ng', imageMeta)),
    );
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });
});
