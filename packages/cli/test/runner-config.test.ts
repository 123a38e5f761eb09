import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stationKeys } from '@procvision/runner/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stationFlagKeys } from '../src/internal/station-options.js';
import { serveEnvironmentNames } from '../src/internal/serve-environment.js';
import { runCli, temporaryFolder } from './cli-helpers.js';

let folder: { path: string; remove(): Promise<void> };
beforeAll(async () => {
  folder = await temporaryFolder('runner-config');
});
afterAll(async () => folder.remove());

interface Setting {
  key: string;
  value: unknown;
  source: string;
}

describe('procvision runner config', () => {
  it('has one flag and one PROCVISION_* variable per runtime key of the runner', () => {
    expect([...stationFlagKeys]).toEqual(stationKeys);
    for (const key of stationKeys) expect(serveEnvironmentNames).toContain(`PROCVISION_${key.toUpperCase()}`);
  });

  it('prints every effective setting with its source: flag over environment over config.json over default', async () => {
    const store = join(folder.path, 'store');
    await runCli(['runner', 'list', '--store', store]);
    const { mkdir } = await import('node:fs/promises');
    await mkdir(store, { recursive: true });
    await writeFile(
      join(store, 'config.json'),
      JSON.stringify({
        execute_timeout_ms: 40_000,
        startup_timeout_ms: 90_000,
        max_frame_pixels: 20_000_000,
        instances: 2,
        packages: { 'screw-check': { env: { OMP_NUM_THREADS: '4' }, pass_env: ['CUDA_VISIBLE_DEVICES'] } },
      }),
    );
    const run = await runCli(['runner', 'config', '--store', store, '--json', '--execute-timeout-ms', '60000', '--packages', '{"gauge": {"instances": 4}}'], {
      env: { PROCVISION_INSTANCES: '3', PROCVISION_STARTUP_TIMEOUT_MS: '120000', PROCVISION_PACKAGES: '{"gpu-check": {"env": {"CUDA_VISIBLE_DEVICES": "0"}}}' },
    });
    expect(run.code, run.stderr).toBe(0);
    const settings = run.json<{ settings: Setting[] }>().settings;
    const of = (key: string) => settings.find((entry) => entry.key === key);
    expect(of('execute_timeout_ms')).toMatchObject({ value: 60_000, source: 'flag' });
    expect(of('startup_timeout_ms')).toMatchObject({ value: 120_000, source: 'env' });
    expect(of('instances')).toMatchObject({ value: 3, source: 'env' });
    expect(of('max_frame_pixels')).toMatchObject({ value: 20_000_000, source: 'file' });
    expect(of('kill_grace_ms')).toMatchObject({ value: 3000, source: 'default' });
    expect(of('packages.screw-check')).toMatchObject({ source: 'file', value: { env: { OMP_NUM_THREADS: '4' } } });
    expect(of('packages.gpu-check')).toMatchObject({ source: 'env', value: { env: { CUDA_VISIBLE_DEVICES: '0' } } });
    expect(of('packages.gauge')).toMatchObject({ source: 'flag', value: { instances: 4 } });

    const text = await runCli(['runner', 'config', '--store', store]);
    expect(text.stdout).toMatch(/max_frame_pixels\s+20000000\s+\(file\)/);
  });

  it('names the bad key, variable or flag and exits 2', async () => {
    const store = join(folder.path, 'bad');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(store, { recursive: true });
    await writeFile(join(store, 'config.json'), JSON.stringify({ image_encoding: 'jpeg' }));
    const unknown = await runCli(['runner', 'config', '--store', store]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown key "image_encoding"');
    await writeFile(join(store, 'config.json'), '{}');
    const badEnv = await runCli(['runner', 'config', '--store', store], { env: { PROCVISION_MAX_FRAME_PIXELS: 'twenty' } });
    expect(badEnv.code).toBe(2);
    expect(badEnv.stderr).toContain('PROCVISION_MAX_FRAME_PIXELS');
    const badFlag = await runCli(['runner', 'config', '--store', store, '--kill-grace-ms', '0']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toContain('--kill-grace-ms');
  });
});
