import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { adapterBinPath } from '@procvision/sdk';
import { describe, expect, it } from 'vitest';

// The built entry points, in a fresh Node process: what an embedder or the CLI pays before its first start.
const engineDist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const storeDist = fileURLToPath(new URL('../dist/store/index.js', import.meta.url));
const root = fileURLToPath(new URL('./fixtures/real-algo/', import.meta.url));

/** Runs `body` as an ES module that has `loaded(name)` (is that package in the CommonJS cache?) and prints JSON. */
function runModule(body: string): Promise<Record<string, boolean>> {
  const script = `import { createRequire } from 'node:module';
const loaded = (name) => Object.keys(createRequire(import.meta.url).cache).some((path) => path.includes('/node_modules/' + name + '/'));
${body}`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`exit ${String(code)}: ${stderr}`));
      else resolve(JSON.parse(stdout) as Record<string, boolean>);
    });
  });
}

describe('the runner engine start-up path', () => {
  it('loads prom-client only when metrics are created, and sharp never (import, start, step, stop)', async () => {
    const seen = await runModule(`const { Runner, RunnerMetrics } = await import(${JSON.stringify(engineDist)});
await import(${JSON.stringify(storeDist)});
const seen = { promAtImport: loaded('prom-client') };
const runner = new Runner({ config: { log_level: 'warn' } });
await runner.startPackage({ root: ${JSON.stringify(root)}, adapter: { command: process.execPath, args: [${JSON.stringify(adapterBinPath)}] } });
const session = runner.createSession({ packageName: 'frame-bytes', pid: 'A01' });
const outcome = await runner.runStep(session.id, { stepIndex: 1, frame: { encoding: 'jpeg', bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xd9]), width: 4, height: 4 } });
seen.stepOk = outcome.status === 'OK';
await runner.close();
seen.promAfterStep = loaded('prom-client');
seen.sharp = loaded('sharp');
new RunnerMetrics({ defaultMetrics: false });
seen.promAfterMetrics = loaded('prom-client');
process.stdout.write(JSON.stringify(seen));`);
    expect(seen).toEqual({ promAtImport: false, stepOk: true, promAfterStep: false, sharp: false, promAfterMetrics: true });
  });
});
