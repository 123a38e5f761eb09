import { clearDevImage, writeDevPixels } from '@procvision/shm';
import { afterAll, describe, expect, it } from 'vitest';
import { BaseAlgorithm, readImage, Session, type ExecuteResult, type ImageMeta } from '../src/index.js';

// The README's example, compiled and run.
export class ScrewCheck extends BaseAlgorithm {
  getInfo() {
    return {
      name: 'screw-check',
      version: '1.0.0',
      supported_pids: ['A01'],
      steps: [{ index: 1, name: 'check screw', params: [{ key: 'threshold', type: 'float' as const, min: 0.5, max: 0.9, default: 0.7 }] }],
    };
  }
  preExecute() {
    return { status: 'OK' as const, message: 'ready' };
  }
  async execute(
    stepIndex: number,
    pid: string,
    session: Session,
    userParams: Record<string, unknown>,
    sharedMemId: string,
    imageMeta: ImageMeta,
  ): Promise<ExecuteResult> {
    const image = await readImage(sharedMemId, imageMeta); // {width, height, channels: 3, colorSpace: 'RGB', data}
    this.logger.info('frame read', { width: image.width });
    session.set('checked_at', Date.now());
    return { status: 'OK', data: { result_status: 'OK' } };
  }
}

afterAll(() => clearDevImage('dev-shm:readme'));

describe('README example', () => {
  it('compiles and runs', async () => {
    writeDevPixels('dev-shm:readme', new Uint8Array(4 * 2 * 3).fill(128), { width: 4, height: 2, channels: 3, colorSpace: 'RGB' });
    const session = new Session({ id: 's' });
    const result = await new ScrewCheck().execute(1, 'A01', session, {}, 'dev-shm:readme', { width: 4, height: 2, timestamp_ms: 1, camera_id: 'c' });
    expect(result).toEqual({ status: 'OK', data: { result_status: 'OK' } });
    expect(session.exists('checked_at')).toBe(true);
  });
});
