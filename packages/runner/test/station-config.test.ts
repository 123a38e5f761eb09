import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { adapterBinPath } from '@procvision/sdk';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveRunner } from '../src/http/index.js';
import { PackageStore, StoreConfigError, readStoreConfig, resolveStationConfig, stationKeys } from '../src/store/index.js';
import { buildTinyZip, temporaryFolder } from './store-fixtures/store-fixtures.js';

const folder = temporaryFolder('procvision-station-config-');
afterAll(() => folder.cleanup());
let storeCount = 0;

function storeWithConfig(config: unknown): string {
  storeCount += 1;
  const root = join(folder.path, `store-${String(storeCount)}`);
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return root;
}

/** An algorithm that answers with the variables it got (all but PROC_* and the inherited allow-list). */
const envReporter = `const inherited = new Set(['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'TEMP', 'TMP', 'USERPROFILE']);
export class TinyAlgo {
  getInfo() { return { name: 'tiny-algo', version: '1.0.0', supported_pids: ['A01'], steps: [{ index: 1, name: 'check' }] }; }
  preExecute() { return { status: 'OK', message: 'ready' }; }
  execute() {
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('PROC_') && !inherited.has(key)));
    return { status: 'OK', message: 'checked', data: { result_status: 'OK', env } };
  }
}
`;

describe('station runtime settings: flags > PROCVISION_* > config.json > defaults', () => {
  it('resolves each key from the strongest layer and says where it came from', async () => {
    const root = storeWithConfig({
      require_signature: false,
      execute_timeout_ms: 40_000,
      startup_timeout_ms: 90_000,
      max_frame_pixels: 20_000_000,
      instances: 2,
      packages: { 'screw-check': { execute_timeout_ms: 120_000, env: { OMP_NUM_THREADS: '4' } }, other: { instances: 3 } },
    });
    const station = await resolveStationConfig(root, {
      env: {
        PROCVISION_EXECUTE_TIMEOUT_MS: '50000',
        PROCVISION_INSTANCES: '3',
        PROCVISION_PACKAGES: '{"other": {"pass_env": ["CUDA_VISIBLE_DEVICES"]}}',
        PROCVISION_STORE: root,
      },
      flags: { execute_timeout_ms: '60000', max_sessions: 9 },
    });
    const source = (key: string) => station.entries.find((entry) => entry.key === key);
    expect(source('execute_timeout_ms')).toMatchObject({ value: 60_000, source: 'flag', env: 'PROCVISION_EXECUTE_TIMEOUT_MS', flag: '--execute-timeout-ms' });
    expect(source('startup_timeout_ms')).toMatchObject({ value: 90_000, source: 'file' });
    expect(source('instances')).toMatchObject({ value: 3, source: 'env' });
    expect(source('max_frame_pixels')).toMatchObject({ value: 20_000_000, source: 'file' });
    expect(source('max_sessions')).toMatchObject({ value: 9, source: 'flag' });
    expect(source('kill_grace_ms')).toMatchObject({ value: 3000, source: 'default' });
    expect(source('packages.screw-check')).toMatchObject({ source: 'file', value: { execute_timeout_ms: 120_000, env: { OMP_NUM_THREADS: '4' } } });
    expect(source('packages.other')).toMatchObject({ source: 'env', value: { pass_env: ['CUDA_VISIBLE_DEVICES'] } });
    expect(station.limits).toMatchObject({ maxFramePixels: 20_000_000, maxSessions: 9, maxJsonDepth: 64 });
    expect(station.runner).toMatchObject({ execute_timeout_ms: 60_000, startup_timeout_ms: 90_000, max_retries: 2 });
    expect(station.instances).toBe(3);
    expect(station.entries.map((entry) => entry.key).filter((key) => !key.startsWith('packages.'))).toEqual(stationKeys.filter((key) => key !== 'packages'));
    // The store's own reader accepts the same file (one schema).
    expect(await readStoreConfig(root)).toMatchObject({ requireSignature: false });
  });

  it('refuses an unknown key or a bad value, naming the file key, the variable or the flag', async () => {
    await expect(resolveStationConfig(storeWithConfig({ execute_timeout: 5 }))).rejects.toThrow(
      /config\.json: unknown key "execute_timeout"; the keys are pre_execute_timeout_ms/,
    );
    await expect(resolveStationConfig(storeWithConfig({ packages: { a: { memory_limit: 5 } } }))).rejects.toThrow(/unknown key "packages\.a\.memory_limit"/);
    await expect(readStoreConfig(storeWithConfig({ max_frame_pixel: 5 }))).rejects.toThrow(/unknown field "max_frame_pixel"/);
    const root = storeWithConfig({});
    await expect(resolveStationConfig(root, { env: { PROCVISION_MAX_SESSIONS: 'many' } })).rejects.toThrow(
      /^PROCVISION_MAX_SESSIONS: max_sessions: expected number, received string, got "many"/,
    );
    await expect(resolveStationConfig(root, { env: { PROCVISION_PACKAGES: '{"a": {"env": {"BAD NAME": "1"}}}' } })).rejects.toThrow(
      /^PROCVISION_PACKAGES: packages\.a\.env\.BAD NAME/,
    );
    await expect(resolveStationConfig(root, { flags: { execute_timeout_ms: '-5' } })).rejects.toThrow(/^--execute-timeout-ms: execute_timeout_ms: .*got -5/);
    await expect(resolveStationConfig(root, { flags: { image_encoding: 'jpeg' } as never })).rejects.toBeInstanceOf(StoreConfigError);
  });
});

describe('a station configured in config.json runs its packages with it', () => {
  const zip = { path: '' };
  beforeAll(async () => {
    zip.path = await buildTinyZip(folder.path, join(folder.path, 'zips'), {
      version: '1.0.0',
      withDependency: false,
      supportedPids: ['A01'],
      mainSource: envReporter,
    });
  }, 120_000);

  it('per-package timeouts and exactly the allowed environment reach the process; a 20 MP frame passes once max_frame_pixels is raised', async () => {
    const root = storeWithConfig({
      max_frame_pixels: 20_000_000,
      packages: {
        'tiny-algo': {
          execute_timeout_ms: 12_345,
          env: { OMP_NUM_THREADS: '3', LD_LIBRARY_PATH: '/opt/vendor/lib' },
          pass_env: ['CUDA_VISIBLE_DEVICES', 'NOT_SET_ANYWHERE'],
        },
      },
    });
    const setup = await PackageStore.open(root, { processStarter: () => Promise.resolve({ stop: () => Promise.resolve() }) });
    const entry = await setup.install(zip.path);
    await setup.activate(entry.name, entry.version, ['A01']);
    const deployed = (await setup.resolveActive('A01')).root;
    await setup.close();
    mkdirSync(join(deployed, 'node_modules', '@procvision'), { recursive: true });
    symlinkSync(dirname(dirname(adapterBinPath)), join(deployed, 'node_modules', '@procvision', 'sdk'), 'dir');

    const image = (
      await sharp({ create: { width: 5472, height: 3648, channels: 3, background: '#808080' } })
        .jpeg({ quality: 20 })
        .toBuffer()
    ).toString('base64');
    const saved = { cuda: process.env.CUDA_VISIBLE_DEVICES, secret: process.env.STATION_SECRET };
    process.env.CUDA_VISIBLE_DEVICES = '1';
    process.env.STATION_SECRET = 'must-not-leak';
    const execute = async (url: string) => {
      const response = await fetch(`${url}/execute`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ pid: 'A01', step_index: 1, image }),
      });
      return { status: response.status, json: (await response.json()) as { execute?: { data: { env: Record<string, string> } }; error?: { code: string } } };
    };
    try {
      const defaults = await serveRunner({
        store: root,
        port: 0,
        handleSignals: false,
        logger: { log() {} },
        station: await resolveStationConfig(root, { env: { PROCVISION_MAX_FRAME_PIXELS: String(4096 * 3072) } }),
      });
      try {
        const refused = await execute(defaults.url);
        expect(refused.status).toBe(422);
        expect(refused.json.error?.code).toBe('3008');
      } finally {
        await defaults.close();
      }
      const served = await serveRunner({ store: root, port: 0, handleSignals: false, logger: { log() {} } });
      try {
        const answer = await execute(served.url);
        expect(answer.status, JSON.stringify(answer.json)).toBe(200);
        expect(answer.json.execute?.data.env).toEqual({ OMP_NUM_THREADS: '3', LD_LIBRARY_PATH: '/opt/vendor/lib', CUDA_VISIBLE_DEVICES: '1' });
      } finally {
        await served.close();
      }
      const store = await PackageStore.open(root, { runnerConfig: { log_level: 'error' } });
      try {
        expect((await store.processFor('A01')).config).toMatchObject({ execute_timeout_ms: 12_345, pre_execute_timeout_ms: 10_000 });
      } finally {
        await store.close();
      }
    } finally {
      if (saved.cuda === undefined) delete process.env.CUDA_VISIBLE_DEVICES;
      else process.env.CUDA_VISIBLE_DEVICES = saved.cuda;
      if (saved.secret === undefined) delete process.env.STATION_SECRET;
      else process.env.STATION_SECRET = saved.secret;
    }
  }, 120_000);
});

describe('audit log rotation', () => {
  it('rotates logs/audit.jsonl by size and keeps audit_log_keep files', async () => {
    const root = storeWithConfig({ audit_log_max_bytes: 4096, audit_log_keep: 2 });
    const store = await PackageStore.open(root, { processStarter: () => Promise.resolve({ stop: () => Promise.resolve() }) });
    try {
      for (let attempt = 0; attempt < 60; attempt += 1) await expect(store.activate('missing', '1.0.0', ['A01'])).rejects.toThrow(/not installed/);
    } finally {
      await store.close();
    }
    const log = join(root, 'logs', 'audit.jsonl');
    for (const path of [log, `${log}.1`, `${log}.2`]) {
      expect(statSync(path).size).toBeLessThanOrEqual(4096);
      for (const line of readFileSync(path, 'utf8').trim().split('\n')) expect(JSON.parse(line)).toMatchObject({ operation: 'activate', outcome: 'error' });
    }
    expect(existsSync(`${log}.3`)).toBe(false);
  });
});
