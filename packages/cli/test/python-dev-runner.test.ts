// The REAL Python dev runner (v0.0.6 `procvision_algorithm_sdk.cli.run_adapter`, i.e.
// `procvision-cli run`) driving OUR adapter: on the example algorithm and on a fresh
// `procvision init` scaffold, with the image as written by the dev runner (.bin), as JPEG, and
// as a raw NumPy array (.npy). Needs PROCVISION_PY_SDK and PROCVISION_PYTHON; skips otherwise.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPythonSdk, reportSkip } from '../../runner/test/python-sdk.js';
import { scaffold, temporaryFolder } from './cli-helpers.js';

const found = findPythonSdk();
const skip = reportSkip('python-dev-runner', found);
const fixture = fileURLToPath(new URL('./fixtures/python-dev-runner/', import.meta.url));
const example = fileURLToPath(new URL('../../../examples/algorithm-example/', import.meta.url));

interface Frame {
  type?: string;
  status?: string;
  message?: string;
  error_code?: string;
  data?: { result_status?: string; calibration_rects?: unknown[] };
}

function drive(
  project: string,
  pid: string,
  image: string,
  mode: 'file' | 'jpeg' | 'npy',
  shmDir: string,
  params?: Record<string, unknown>,
): Promise<{ result: { pre_execute: Frame; execute: Frame }; files: string[] }> {
  const sdk = found.ok ? found.sdk : undefined;
  return new Promise((resolve, reject) => {
    const child = spawn(
      sdk?.python ?? 'python3',
      [join(fixture, 'drive.py'), sdk?.v006 ?? '', fixture, project, pid, image, mode, '1', ...(params === undefined ? [] : [JSON.stringify(params)])],
      {
        env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', PROC_SHM_DIR: shmDir, PROCVISION_NODE: process.execPath },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as { result: { pre_execute: Frame; execute: Frame }; files: string[] });
      } catch {
        reject(new Error(`drive.py exited ${code}: ${stdout}\n${stderr}`));
      }
    });
  });
}

describe.skipIf(skip)('the Python dev runner drives our adapter', () => {
  let shmDir = '';
  let folder: Awaited<ReturnType<typeof temporaryFolder>>;
  let project = '';
  beforeAll(async () => {
    shmDir = mkdtempSync(join(tmpdir(), 'pv-dev-runner-shm-'));
    folder = await temporaryFolder('py-dev-runner');
    project = await scaffold(folder.path, 'pyrun', 'A01');
  });
  afterAll(async () => {
    rmSync(shmDir, { recursive: true, force: true });
    await folder?.remove();
  });

  it.each([
    ['ok.png', 'file', 'OK'],
    ['ng.png', 'file', 'NG'],
    ['ok.png', 'jpeg', 'OK'],
    ['ng.png', 'jpeg', 'NG'],
    ['ok.png', 'npy', 'OK'],
    ['ng.png', 'npy', 'NG'],
  ] as const)('example algorithm: %s as %s gives %s', async (sample, mode, verdict) => {
    const { result } = await drive(example, 'p001', join(example, 'samples', sample), mode, shmDir, { roi: { x: 100, y: 100, width: 440, height: 280 } });
    expect(result.pre_execute, JSON.stringify(result.pre_execute)).toMatchObject({ type: 'result', status: 'OK' });
    expect(result.execute, JSON.stringify(result.execute)).toMatchObject({ type: 'result', status: 'OK', data: { result_status: verdict } });
  });

  it.each([
    ['ok.png', 'jpeg', 'OK'],
    ['ng.png', 'npy', 'NG'],
    ['ok.png', 'npy', 'OK'],
  ] as const)('fresh scaffold: %s as %s gives %s', async (sample, mode, verdict) => {
    const ownDir = mkdtempSync(join(shmDir, 'run-'));
    const { result, files } = await drive(project, 'A01', join(project, 'samples', sample), mode, ownDir);
    expect(files).toEqual([expect.stringMatching(mode === 'npy' ? /^dev-shm_session-\d+\.npy$/ : /^dev-shm_session-\d+\.bin$/)]);
    expect(result.pre_execute, JSON.stringify(result.pre_execute)).toMatchObject({ status: 'OK' });
    expect(result.execute, JSON.stringify(result.execute)).toMatchObject({ status: 'OK', data: { result_status: verdict } });
  });
});
