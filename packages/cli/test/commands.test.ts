import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandTable } from '../src/command-table/index.js';
import { runCli, scaffold, temporaryFolder } from './cli-helpers.js';

let folder: Awaited<ReturnType<typeof temporaryFolder>>;
beforeAll(async () => {
  folder = await temporaryFolder('procvision-commands-');
});
afterAll(() => folder.remove());

describe('--help of every command shows its examples', () => {
  it.each(commandTable.map((spec) => [spec.parent === undefined ? spec.name : `${spec.parent} ${spec.name}`, spec] as const))(
    '%s --help',
    async (words, spec) => {
      const run = await runCli([...words.split(' '), '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Examples:');
      expect(run.stdout).toContain(`$ procvision ${words}`);
      for (const option of spec.options) expect(run.stdout).toContain(option.flags.split(' ')[0]?.replace(/,$/, ''));
    },
  );

  it('package --target offers every packager target, musl included', async () => {
    const run = await runCli(['package', '.', '--target', 'linux-x86']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('linux-x64-musl');
    expect(run.stderr).toContain('linux-arm64-musl');
  });
});

describe('usage-error examples come from the project at hand', () => {
  it('suggests the PID and sample image of the project, not A01', async () => {
    const project = await scaffold(folder.path, 'b-only', 'B07,B08');
    const run = await runCli(['run', project, '--image', 'x.png', '--json']);
    expect(run.code).toBe(2);
    const example = run.json<{ error: { example: string } }>().error.example;
    expect(example).toContain('--pid B07');
    expect(example).not.toContain('A01');
    expect(example).toContain(join(project, 'samples'));
  }, 60_000);

  it('fills runner examples from the store at hand: its package and an active PID', async () => {
    const store = join(folder.path, 'example-store');
    await mkdir(store);
    await writeFile(
      join(store, 'registry.json'),
      JSON.stringify({ format_version: 1, packages: [{ name: 'gear-check', version: '2.1.0', supported_pids: ['G12', 'G13'] }] }),
    );
    await writeFile(join(store, 'active.json'), JSON.stringify({ G13: { name: 'gear-check', version: '2.1.0' } }));
    const run = await runCli(['runner', 'activate', 'gear-check', '2.1.0', '--store', store, '--json']);
    expect(run.code).toBe(2);
    expect(run.json<{ error: { example: string } }>().error.example).toBe(`procvision runner activate gear-check 2.1.0 --pid G13 --store ${store}`);
  });

  it('falls back to the generic example without a project', async () => {
    const run = await runCli(['run', join(folder.path, 'missing'), '--image', 'x.png', '--json']);
    expect(run.json<{ error: { example: string } }>().error.example).toMatch(/^procvision run .*missing --pid A01 --image /);
  });
});

describe('init -d DIR makes DIR the project folder (as procvision-cli init -d)', () => {
  it('creates the project in DIR itself, missing parents included', async () => {
    const run = await runCli(['init', 'demo', '-d', './algos/demo', '--pids', 'A01', '--json'], { cwd: folder.path });
    expect(run.code).toBe(0);
    expect(run.json<{ project: string }>().project).toBe(join(folder.path, 'algos', 'demo'));
    expect(await readdir(join(folder.path, 'algos', 'demo'))).toContain('manifest.json');
    expect(await readdir(join(folder.path, 'algos', 'demo'))).not.toContain('demo');
  }, 60_000);

  it('defaults to ./NAME and accepts an existing empty DIR', async () => {
    await mkdir(join(folder.path, 'empty'));
    const inEmpty = await runCli(['init', 'other', '-d', 'empty', '--pids', 'A01', '--json'], { cwd: folder.path });
    expect(inEmpty.code).toBe(0);
    expect(inEmpty.json<{ project: string }>().project).toBe(join(folder.path, 'empty'));
    const byDefault = await runCli(['init', 'third', '--pids', 'A01', '--json'], { cwd: folder.path });
    expect(byDefault.json<{ project: string }>().project).toBe(join(folder.path, 'third'));
  }, 60_000);

  it('still refuses an existing non-empty DIR', async () => {
    const run = await runCli(['init', 'again', '-d', './algos/demo'], { cwd: folder.path });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/algos\/demo already exists and is not empty/);
  });
});

interface DoctorDocument {
  ok: boolean;
  checks: Array<{ name: string; status: string; detail: string; facts?: Record<string, unknown> }>;
}

describe('procvision doctor', () => {
  it('checks Node, sharp/libvips, the shm backend, /dev/shm, npm and the store; exit 0 when nothing blocks', async () => {
    const run = await runCli(['doctor', '--store', join(folder.path, 'no-store'), '--json']);
    const document = run.json<DoctorDocument>();
    expect(document.checks.map((check) => check.name)).toEqual(['node', 'sharp', 'shm_backend', 'dev_shm', 'npm', 'store']);
    expect(run.code).toBe(document.ok ? 0 : 1);
    const byName = Object.fromEntries(document.checks.map((check) => [check.name, check]));
    expect(byName.node?.facts?.version).toBe(process.versions.node);
    expect(byName.sharp?.detail).toMatch(/libvips \d+\.\d+/);
    expect(byName.npm?.status).toBe('ok');
    expect(byName.store).toMatchObject({ status: 'warn', facts: { exists: false } });
  }, 60_000);

  it('says which npm it uses and how it was found; --npm picks one, a wrong --npm fails naming it', async () => {
    const found = (await runCli(['doctor', '--store', join(folder.path, 'no-store'), '--json'])).json<DoctorDocument>();
    const npm = found.checks.find((check) => check.name === 'npm');
    expect(npm?.facts).toMatchObject({ source: expect.stringMatching(/^(beside node|npm_execpath|PATH)$/) });
    const cli = String(npm?.facts?.npm_cli);
    const chosen = (await runCli(['doctor', '--store', join(folder.path, 'no-store'), '--json', '--npm', cli])).json<DoctorDocument>();
    expect(chosen.checks.find((check) => check.name === 'npm')).toMatchObject({ status: 'ok', facts: { npm_cli: cli, source: 'PROCVISION_NPM' } });
    const wrong = await runCli(['doctor', '--store', join(folder.path, 'no-store'), '--npm', join(folder.path, 'no-npm')]);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/^fail {2}npm .*--npm\) is .*no-npm, which is not an npm command/m);
  }, 60_000);

  it('names the file backend and why when the native addon is off', async () => {
    const run = await runCli(['doctor', '--store', join(folder.path, 'no-store'), '--json'], { env: { PROCVISION_SHM_BACKEND: 'file' } });
    const check = run.json<DoctorDocument>().checks.find((candidate) => candidate.name === 'shm_backend');
    expect(check).toMatchObject({ status: 'warn', facts: { backend: 'file', reason: 'PROCVISION_SHM_BACKEND=file' } });
  }, 60_000);

  it("reports the store's signature policy, and exits 1 on a store that blocks installing", async () => {
    const signed = join(folder.path, 'signed-store');
    await mkdir(signed);
    await writeFile(join(signed, 'config.json'), JSON.stringify({ require_signature: true, trusted_keys: ['missing.pub.pem'] }));
    const run = await runCli(['doctor', '--store', signed]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^fail {2}store/m);
    expect(run.stdout).toMatch(/1 check\(s\) failed: store/);
  }, 60_000);
});
