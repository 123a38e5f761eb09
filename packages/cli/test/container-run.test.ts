import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { realpathSync, statSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath, temporaryFolder } from './cli-helpers.js';

const nobody = 65534;
const containerfile = fileURLToPath(new URL('../../../deploy/Containerfile', import.meta.url));
const codeDirectory = fileURLToPath(new URL('../', import.meta.url));
const setpriv = spawnSync('setpriv', ['--version']).status === 0;
const asRoot = process.getuid?.() === 0;
const reason = !asRoot ? 'not running as root (cannot switch to nobody)' : !setpriv ? 'setpriv (util-linux) is not installed' : '';
if (reason !== '') process.stderr.write(`container-run.test: skipped: ${reason}\n`);

/** `ENV` of the Containerfile's last stage, as the container gets it. */
async function containerEnvironment(): Promise<Record<string, string>> {
  const text = (await readFile(containerfile, 'utf8')).replace(/\\\n/g, ' ');
  const lastStage = text.slice(text.lastIndexOf('\nFROM '));
  const env: Record<string, string> = {};
  for (const line of lastStage.split('\n').filter((entry) => entry.startsWith('ENV ')))
    for (const match of line.matchAll(/(\w+)=(\S+)/g)) env[match[1]!] = match[2]!;
  return env;
}

/**
 * The folders above the checkout and above node that `nobody` cannot enter (a clone in a
 * `mktemp -d` folder, a Node under /root/.cache): the container has its code in a folder
 * everyone may enter, so the test lets `nobody` traverse (o+x, not list) these for its run and
 * puts each mode back afterwards.
 */
function closedAncestors(paths: readonly string[]): Array<{ path: string; mode: number }> {
  const closed = new Map<string, number>();
  for (const start of paths) {
    for (let current = dirname(realpathSync(start)); ; current = dirname(current)) {
      const info = statSync(current);
      if (info.uid !== nobody && (info.mode & 0o001) === 0) closed.set(current, info.mode & 0o7777);
      if (dirname(current) === current) break;
    }
  }
  return [...closed].map(([path, mode]) => ({ path, mode }));
}

function asNobody(args: string[], env: Record<string, string>): ChildProcess {
  return spawn('setpriv', [`--reuid=${nobody}`, `--regid=${nobody}`, '--clear-groups', '--', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
}

describe.skipIf(reason !== '')('runner serve as the container runs it: environment only, user nobody, read-only code', () => {
  let folder: Awaited<ReturnType<typeof temporaryFolder>>;
  let child: ChildProcess;
  let url: string;
  let env: Record<string, string>;
  let stderr = '';
  const token = `container-token-${Date.now()}`;
  let opened: Array<{ path: string; mode: number }> = [];

  beforeAll(async () => {
    opened = closedAncestors([binPath, process.execPath]);
    for (const { path, mode } of opened) await chmod(path, mode | 0o001);
    folder = await temporaryFolder('container');
    await chmod(folder.path, 0o755);
    const volume = join(folder.path, 'var-lib-procvision');
    const secrets = join(folder.path, 'secrets');
    await mkdir(join(volume, 'store', 'keys'), { recursive: true });
    // Beyond loopback signatures are required: the store volume carries its trusted key (config.json), no flag needed.
    const { publicKey } = generateKeyPairSync('ed25519');
    await writeFile(join(volume, 'store', 'keys', 'vendor.pub.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
    await writeFile(join(volume, 'store', 'config.json'), JSON.stringify({ require_signature: true, trusted_keys: ['keys/vendor.pub.pem'] }));
    await mkdir(secrets);
    await chown(volume, nobody, nobody);
    for (const path of ['store', 'store/keys', 'store/keys/vendor.pub.pem', 'store/config.json']) await chown(join(volume, path), nobody, nobody);
    await writeFile(join(secrets, 'token'), `${token}\n`, { mode: 0o400 });
    await chown(join(secrets, 'token'), nobody, nobody);
    const image = await containerEnvironment();
    // The image's environment, with the volume and secret where this machine has them and a free port.
    env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: '/nonexistent',
      ...image,
      PROCVISION_PORT: '0',
      PROCVISION_STORE: join(volume, 'store'),
      PROCVISION_TOKEN_FILE: join(secrets, 'token'),
    };
    // ENTRYPOINT ["node", ".../dist/bin.js"] + CMD ["runner", "serve"]: no flags at all.
    child = asNobody([process.execPath, binPath, 'runner', 'serve'], env);
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let stdout = '';
    url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /listening on (http:\/\/\S+)/.exec(stdout);
        if (match) resolve(match[1]!.replace('0.0.0.0', '127.0.0.1'));
      });
      child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
    });
  }, 60_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await folder?.remove();
    for (const { path, mode } of opened) await chmod(path, mode);
  });

  it('binds where PROCVISION_HOST says, as nobody, and serves /health, /ready and /metrics with the token file', async () => {
    expect(env.PROCVISION_HOST).toBe('0.0.0.0');
    const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '');
    const uidLine = status.split('\n').find((line) => line.startsWith('Uid:')) ?? '';
    // setpriv execs node in place: the served process is the child itself.
    expect(uidLine.split(/\s+/).slice(1, 3)).toEqual([String(nobody), String(nobody)]);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect((await fetch(`${url}/ready`)).status).toBe(401);
    const ready = await fetch(`${url}/ready`, { headers: { authorization: `Bearer ${token}` } });
    expect(ready.status).toBe(200);
    const metrics = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
    expect(metrics).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(metrics).toContain('procvision_build_info{');
    expect((await stat(join(env.PROCVISION_STORE!, 'logs'))).uid).toBe(nobody);
  });

  it('the code directory is read-only to the service user, and access lines go to stderr at PROCVISION_LOG_LEVEL', async () => {
    const probe = spawnSync(
      'setpriv',
      [
        `--reuid=${nobody}`,
        `--regid=${nobody}`,
        '--clear-groups',
        '--',
        process.execPath,
        '-e',
        `require('fs').accessSync(${JSON.stringify(codeDirectory)}, require('fs').constants.W_OK)`,
      ],
      { encoding: 'utf8' },
    );
    expect(probe.status).not.toBe(0);
    expect(probe.stderr).toMatch(/EACCES|EPERM|EROFS/);
    await fetch(`${url}/health`, { headers: { 'x-request-id': 'container-probe-1' } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const line = stderr.split('\n').find((entry) => entry.includes('container-probe-1'));
    expect(JSON.parse(line!)).toMatchObject({ level: 'info', fields: { kind: 'access', route: '/health', status: 200 } });
  });
});
