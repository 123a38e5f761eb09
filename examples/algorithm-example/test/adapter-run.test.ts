import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { FrameDecoder, encodeFrame } from '@procvision/manifest';
import { adapterBinPath } from '@procvision/sdk';
import { createFrameWriter } from '@procvision/shm';
import { afterAll, describe, expect, it } from 'vitest';
import { renderSamplePng, sampleSize } from '../scripts/sample-images.mjs';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const writer = createFrameWriter({ backend: 'mmap', slots: 2, capacityBytes: 64 * 1024 });
afterAll(() => writer.close());

/** Starts the built example under procvision-adapter, as a runner would, and speaks frames to it. */
function startAlgorithmProcess() {
  const child = spawn(process.execPath, [adapterBinPath], { cwd: packageRoot, stdio: 'pipe' });
  const decoder = new FrameDecoder();
  const frames: Record<string, any>[] = [];
  const waiting: Array<() => void> = [];
  child.stdout.on('data', (chunk: Buffer) => {
    frames.push(...decoder.push(chunk));
    waiting.splice(0).forEach((wake) => wake());
  });
  const next = async (match: (frame: Record<string, any>) => boolean): Promise<Record<string, any>> => {
    for (;;) {
      const index = frames.findIndex(match);
      if (index >= 0) return frames.splice(index, 1)[0]!;
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
  };
  const send = (message: object) => child.stdin.write(encodeFrame({ timestamp_ms: Date.now(), ...message }));
  let counter = 0;
  const call = (data: object) => {
    const requestId = `call-${++counter}`;
    send({ type: 'call', request_id: requestId, data });
    return next((frame) => frame.request_id === requestId);
  };
  return { child, next, send, call };
}

describe('the built example under procvision-adapter', () => {
  it('runs both steps on the OK and the NG board, carrying session state between steps', async () => {
    const algorithm = startAlgorithmProcess();
    await algorithm.next((frame) => frame.type === 'hello');
    algorithm.send({ type: 'hello', protocol: 1, runner_version: 'example-test', heartbeat_interval_ms: 5000, heartbeat_grace_ms: 2000 });
    const info = await algorithm.call({ phase: 'info' });
    expect(info).toMatchObject({ status: 'OK', data: { name: 'algorithm-example', supported_pids: ['p001', 'p002'] } });

    const verdicts: Record<string, string[]> = {};
    for (const kind of ['ok', 'ng'] as const) {
      const frame = writer.write({ encoding: 'png', bytes: await renderSamplePng(kind), ...sampleSize, cameraId: 'cam-01' });
      const image = { shared_mem_id: frame.sharedMemId, image_meta: frame.imageMeta };
      let state: Record<string, unknown> = {};
      verdicts[kind] = [];
      for (const [stepIndex, userParams] of [
        [1, { roi: { x: 100, y: 100, width: 440, height: 280 } }],
        [2, { mode: 'accurate' }],
      ] as const) {
        const session = { id: `sid-${kind}`, context: { product_code: 'p001' }, state };
        const pre = await algorithm.call({ phase: 'pre', step_index: stepIndex, pid: 'p001', session, user_params: userParams, ...image });
        expect(pre).toMatchObject({ status: 'OK', data: { phase: 'pre', step_index: stepIndex } });
        const result = await algorithm.call({ phase: 'execute', step_index: stepIndex, pid: 'p001', session, user_params: userParams, ...image });
        expect(result).toMatchObject({ type: 'result', status: 'OK', data: { phase: 'execute', step_index: stepIndex } });
        verdicts[kind].push(result.data.result_status);
        state = result.session_state;
      }
      expect(state).toEqual({ board: { x: 40, y: 40, width: 560, height: 400 } });
      writer.release(frame.slot);
    }
    expect(verdicts).toEqual({ ok: ['OK', 'OK'], ng: ['NG', 'NG'] });

    const missingRoi = await algorithm.call({
      phase: 'execute',
      step_index: 1,
      pid: 'p001',
      session: { id: 's', context: {}, state: {} },
      user_params: {},
      shared_mem_id: 'mmap:pv-1-0',
      image_meta: { ...sampleSize, timestamp_ms: 1, camera_id: 'c' },
    });
    expect(missingRoi).toMatchObject({ status: 'ERROR', error_code: '1006' });
    expect(missingRoi.message).toContain('user_params.roi');

    algorithm.send({ type: 'shutdown' });
    await algorithm.next((frame) => frame.type === 'shutdown');
    const code = await new Promise((resolve) => algorithm.child.on('exit', resolve));
    expect(code).toBe(0);
  });
});
