import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { temporaryFolder } from './helpers/delivery-fixture.js';

const packagerDist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const folder = temporaryFolder('procvision-exit-cleanup-');
afterAll(() => folder.cleanup());

function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('a host that exits while buildDeliveryZip runs (the CLI on Ctrl-C)', () => {
  it('leaves no staging folder and stops the npm script it was running', async () => {
    const project = join(folder.path, 'project');
    const tmp = join(folder.path, 'tmp');
    mkdirSync(project);
    mkdirSync(tmp);
    const pidFile = join(folder.path, 'build.pid');
    writeFileSync(
      join(project, 'manifest.json'),
      JSON.stringify({ name: 'slowbuild', version: '1.0.0', entry_point: 'dist/main.js:Algo', supported_pids: ['A01'] }),
    );
    const build = `node -e "require('fs').writeFileSync(process.argv[1], String(process.pid)); setTimeout(() => {}, 60000)" ${JSON.stringify(pidFile)}`;
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'slowbuild', version: '1.0.0', type: 'module', scripts: { build } }));
    const script = [
      `import { existsSync } from 'node:fs';`,
      `import { buildDeliveryZip } from ${JSON.stringify(packagerDist)};`,
      `const timer = setInterval(() => { if (existsSync(${JSON.stringify(pidFile)})) process.exit(130); }, 50);`,
      `await buildDeliveryZip(${JSON.stringify(project)}, { target: 'linux-x64' }).finally(() => clearInterval(timer));`,
    ].join('\n');
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, stderr).toBe(130);
    expect(existsSync(pidFile)).toBe(true);
    const buildPid = Number(readFileSync(pidFile, 'utf8'));
    const deadline = Date.now() + 10_000;
    while (running(buildPid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(running(buildPid)).toBe(false);
    expect(readdirSync(tmp).filter((name) => name.startsWith('procvision-package-'))).toEqual([]);
  }, 60_000);
});
