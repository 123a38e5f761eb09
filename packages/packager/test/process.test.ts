import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deadRegistry, npmEnvironment, runNpm, runProcess, signalProcessTree } from '../src/process/index.js';
import { temporaryFolder } from './helpers/delivery-fixture.js';

const folder = temporaryFolder('procvision-process-');
afterAll(() => folder.cleanup());

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function until(check: () => boolean, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return check();
}

/** A node script that starts a sleeping grandchild, prints its pid, then sleeps. */
const parentOfSleeper = `const c = require('child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' }); console.log(c.pid); setTimeout(() => {}, 60000);`;

describe('runProcess: spawn, collect, report', () => {
  it('collects stdout and stderr of a command that succeeds', async () => {
    const output = await runProcess(process.execPath, ['-e', 'process.stdout.write("out"); process.stderr.write("err")'], { cwd: folder.path });
    expect(output).toEqual({ stdout: 'out', stderr: 'err' });
  });

  it('fails with 2005 naming the command, the folder, the exit status and the stderr tail', async () => {
    const lines = Array.from({ length: 30 }, (_, index) => `line ${index}`).join('\\n');
    const failure = runProcess(process.execPath, ['-e', `console.error("${lines}"); process.exit(3)`], { cwd: folder.path, describe: 'the failing script' });
    await expect(failure).rejects.toMatchObject({ code: '2005', message: expect.stringContaining(`"the failing script" in ${folder.path} failed (exit 3)`) });
    const message = await failure.catch((error: Error) => error.message);
    expect(message).toContain('line 29');
    expect(message).not.toContain('line 14\n');
  });

  it('uses the given code (2004) and says when the command cannot start', async () => {
    await expect(runProcess('procvision-no-such-command', [], { cwd: folder.path, code: '2004' })).rejects.toMatchObject({
      code: '2004',
      message: expect.stringMatching(/cannot start "procvision-no-such-command " in .*ENOENT/),
    });
  });

  it('kills the whole process group on timeout, grandchildren included', async () => {
    let grandchild = 0;
    const started = Date.now();
    const run = runProcess(process.execPath, ['-e', parentOfSleeper], {
      cwd: folder.path,
      timeoutMs: 1500,
      onSpawn: (child) => child.stdout?.on('data', (chunk: Buffer) => (grandchild = Number(chunk.toString().trim()))),
    });
    await expect(run).rejects.toMatchObject({ code: '2005', message: expect.stringContaining('did not finish within 1500 ms') });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(grandchild).toBeGreaterThan(0);
    expect(await until(() => !alive(grandchild))).toBe(true);
  });

  it('runs npm through process.execPath, with no npm or pnpm on PATH', async () => {
    const output = await runNpm(['--version'], { cwd: folder.path, cacheDir: join(folder.path, 'cache'), network: 'user' });
    expect(output.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('signalProcessTree', () => {
  it("signals the child's group: a grandchild goes too", async () => {
    const child = spawn(process.execPath, ['-e', parentOfSleeper], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    const grandchild = await new Promise<number>((resolve) => child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))));
    signalProcessTree(child, 'SIGTERM');
    expect(await until(() => !alive(grandchild))).toBe(true);
    expect(await until(() => child.exitCode !== null || child.signalCode !== null)).toBe(true);
    expect(() => signalProcessTree(child, 'SIGKILL')).not.toThrow();
  });

  it('after the child exited: nothing by default, what is left of its group with afterExit', async () => {
    const script = `const c = require('child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' }); console.log(c.pid); c.unref();`;
    const child = spawn(process.execPath, ['-e', script], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    const grandchild = await new Promise<number>((resolve) => child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))));
    expect(await until(() => child.exitCode !== null)).toBe(true);
    signalProcessTree(child, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(alive(grandchild)).toBe(true);
    signalProcessTree(child, 'SIGKILL', { afterExit: true });
    expect(await until(() => !alive(grandchild))).toBe(true);
  });
});

describe('npmEnvironment: which npm_* variables survive', () => {
  const base: NodeJS.ProcessEnv = {
    PATH: '/usr/bin',
    HOME: '/home/someone',
    npm_config_registry: 'https://registry.example.com/',
    'npm_config_@acme:registry': 'https://npm.acme.example/',
    'npm_config_//npm.acme.example/:_authToken': 'secret',
    npm_config_https_proxy: 'http://proxy:3128',
    npm_config_userconfig: '/home/someone/.npmrc',
    npm_config_cafile: '/etc/ca.pem',
    npm_config_strict_ssl: 'true',
    npm_config_frozen_lockfile: 'true',
    npm_config_prefix: '/somewhere',
    npm_config_user_agent: 'pnpm/10',
    npm_lifecycle_event: 'test',
    npm_package_name: 'outer',
    npm_execpath: '/usr/lib/pnpm.cjs',
    PNPM_HOME: '/pnpm',
    pnpm_config_verify_deps_before_run: 'false',
  };

  it("user mode keeps the user's registries, scoped registries, tokens, proxies and TLS settings; drops lifecycle variables", () => {
    const env = npmEnvironment({ cacheDir: '/cache', network: 'user', base });
    for (const key of [
      'npm_config_registry',
      'npm_config_@acme:registry',
      'npm_config_//npm.acme.example/:_authToken',
      'npm_config_https_proxy',
      'npm_config_userconfig',
      'npm_config_cafile',
      'npm_config_strict_ssl',
    ])
      expect(env[key], key).toBe(base[key]);
    for (const key of [
      'npm_config_frozen_lockfile',
      'npm_config_prefix',
      'npm_config_user_agent',
      'npm_lifecycle_event',
      'npm_package_name',
      'npm_execpath',
      'pnpm_config_verify_deps_before_run',
    ])
      expect(env[key], key).toBeUndefined();
    expect(env).toMatchObject({
      PATH: '/usr/bin',
      HOME: '/home/someone',
      npm_config_cache: '/cache',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
    });
  });

  it('offline mode drops every npm setting of the parent and points npm at a dead loopback registry', () => {
    const env = npmEnvironment({ cacheDir: '/cache', network: 'offline', base });
    expect(
      Object.keys(env)
        .filter((key) => /^(npm|pnpm)_/i.test(key))
        .sort(),
    ).toEqual(['npm_config_audit', 'npm_config_cache', 'npm_config_fund', 'npm_config_loglevel', 'npm_config_registry', 'npm_config_update_notifier']);
    expect(env.npm_config_registry).toBe(deadRegistry);
  });
});
