import { spawn } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackageStore } from '../src/store/index.js';
import { call, pngHeaderOnly } from './hardening-fixtures.js';
import { buildTinyZip, temporaryFolder } from './store-fixtures/store-fixtures.js';

/** An algorithm whose execute floods stderr with info lines (JSON and plain), then one warning. */
const floodSource = `export class TinyAlgo {
  getInfo() {
    return { name: 'tiny-algo', version: '1.0.0', supported_pids: ['A01'], steps: [{ index: 1, name: 'check', params: [] }] };
  }
  preExecute() { return { status: 'OK', message: 'ready' }; }
  execute() {
    for (let line = 0; line < 2000; line += 1) process.stderr.write(JSON.stringify({ level: 'info', message: 'flood line ' + line }) + '\\n');
    for (let line = 0; line < 500; line += 1) process.stderr.write('plain flood line ' + line + '\\n');
    process.stderr.write(JSON.stringify({ level: 'warn', message: 'flood over' }) + '\\n');
    return { status: 'OK', message: 'flooded', data: { result_status: 'OK' } };
  }
}
`;

const folder = temporaryFolder('procvision-log-level-');
const serveScript = fileURLToPath(new URL('./fixtures/serve-store.mjs', import.meta.url));
let zip = '';

beforeAll(async () => {
  zip = await buildTinyZip(folder.path, join(folder.path, 'zips'), { version: '1.0.0', withDependency: false, mainSource: floodSource });
}, 120_000);
afterAll(() => folder.cleanup());

/** A store with the flooding package installed and active for A01; the SDK linked in as a zip would vendor it. */
async function floodingStore(name: string): Promise<string> {
  const root = join(folder.path, name);
  const store = await PackageStore.open(root, { runnerConfig: { log_level: 'warn' } });
  await store.install(zip);
  const sdk = join(root, 'algorithms', 'deployed', 'tiny-algo', '1.0.0', 'node_modules', '@procvision', 'sdk');
  mkdirSync(dirname(sdk), { recursive: true });
  symlinkSync(dirname(dirname(fileURLToPath(import.meta.resolve('@procvision/sdk')))), sdk);
  await store.activate('tiny-algo', '1.0.0', ['A01']);
  await store.close();
  return root;
}

/** Serves the store at `logLevel` in a child process, runs one step, stops it; returns its stderr lines. */
async function stepAt(root: string, logLevel: string): Promise<string[]> {
  const child = spawn(process.execPath, [serveScript, root, logLevel], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((text) => text.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    void exited.then(() => reject(new Error(`serve exited: ${stderr}`)));
  });
  try {
    const step = await call(url, 'POST', '/execute', { pid: 'A01', step_index: 1, image: pngHeaderOnly(32, 24).toString('base64') });
    expect(step.json, step.text).toMatchObject({ status: 'OK' });
    const deadline = Date.now() + 10_000;
    while (!stderr.includes('flood over') && Date.now() < deadline) await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  return stderr.split('\n').filter((line) => line !== '');
}

describe('--log-level applies to the algorithms a store-backed service starts', () => {
  it('at warn, an info flood (2000 JSON lines, 500 plain lines) of a store-started algorithm is dropped, its warning kept; at info it is all there', async () => {
    const root = await floodingStore('store');
    const atWarn = await stepAt(root, 'warn');
    expect(atWarn.filter((line) => line.includes('flood line'))).toEqual([]);
    expect(atWarn.filter((line) => line.includes('flood over'))).toHaveLength(1);
    const atInfo = await stepAt(root, 'info');
    expect(atInfo.filter((line) => line.includes('flood line')).length).toBe(2500);
    process.stderr.write(`log level: ${atWarn.length} stderr lines at warn, ${atInfo.length} at info\n`);
  }, 120_000);
});
