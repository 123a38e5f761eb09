import { mkdir, readFile } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Recorder } from '@procvision/runner/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, temporaryFolder } from './cli-helpers.js';

const example = fileURLToPath(new URL('../../../examples/algorithm-example', import.meta.url));
const roi = JSON.stringify({ roi: { x: 100, y: 100, width: 440, height: 280 } });

describe('procvision runner records: a station NG parts become a golden set', () => {
  let folder: { path: string; remove(): Promise<void> };
  let store: string;

  beforeAll(async () => {
    folder = await temporaryFolder('records');
    store = join(folder.path, 'store');
    await mkdir(join(store, 'algorithms'), { recursive: true });
    const recorder = new Recorder(join(store, 'records'), { p001: { mode: 'all', max_bytes: 16 * 1024 * 1024, max_age_hours: 24 } });
    const samples = { OK: await readFile(join(example, 'samples', 'ok.png')), NG: await readFile(join(example, 'samples', 'ng.png')) };
    for (const [index, verdict] of (['OK', 'NG', 'OK', 'NG', 'ERROR'] as const).entries()) {
      const bytes = verdict === 'ERROR' ? samples.OK : samples[verdict];
      recorder.observe({
        pid: 'p001',
        packageName: 'algorithm-example',
        packageVersion: '1.0.0',
        session: { id: `s-${index}`, context: { serial: `part-${index}` } },
        request: { stepIndex: 1, frame: { encoding: 'png', bytes, width: 640, height: 480 }, userParams: JSON.parse(roi) as Record<string, unknown> },
        outcome: {
          sessionId: `s-${index}`,
          stepIndex: 1,
          status: verdict === 'ERROR' ? 'ERROR' : 'OK',
          message: '',
          stage: 'execute',
          ...(verdict === 'ERROR' ? { errorCode: '1005' as const } : { resultStatus: verdict }),
          warnings: [],
          latencyMs: 12 + index,
        },
      });
    }
    await recorder.close();
  });
  afterAll(async () => folder.remove());

  it('lists the records (read-only), filters by pid and --last', async () => {
    const run = await runCli(['runner', 'records', '--store', store, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const { records } = run.json<{ records: Array<{ verdict: string; context: { serial: string } }> }>();
    expect(records.map((record) => record.verdict)).toEqual(['OK', 'NG', 'OK', 'NG', 'ERROR']);
    const last = await runCli(['runner', 'records', '--store', store, '--pid', 'p001', '--last', '2', '--json']);
    expect(last.json<{ records: unknown[] }>().records).toHaveLength(2);
    expect((await runCli(['runner', 'records', '--store', store, '--pid', 'p002', '--json'])).json<{ records: unknown[] }>().records).toHaveLength(0);
    const human = await runCli(['runner', 'records', '--store', store]);
    expect(human.stdout).toContain('5 record(s)');
    expect((await runCli(['runner', 'records', '--store', store, '--since', 'soon'])).code).toBe(2);
  }, 180_000);

  it('export writes ok/ and ng/ (the verdict as label) that eval reads and passes', async () => {
    const golden = join(folder.path, 'golden');
    const run = await runCli(['runner', 'records', 'export', golden, '--store', store, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json()).toMatchObject({ ok: 2, ng: 2, left_out: 1 });
    expect(readdirSync(join(golden, 'ng'))).toHaveLength(2);
    const again = await runCli(['runner', 'records', 'export', golden, '--store', store]);
    expect(again.code).toBe(2);
    const evaluated = await runCli(['eval', example, golden, '--params', roi, '--json']);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(evaluated.json<{ confusion: unknown }>().confusion).toEqual({ expected: { OK: { OK: 2, NG: 0, ERROR: 0 }, NG: { OK: 0, NG: 2, ERROR: 0 } } });
  }, 180_000);
});
