import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scaffold, temporaryFolder } from './cli-helpers.js';

interface ActiveDocument {
  active: Record<string, { name: string; version: string; previous: { name: string; version: string } | null }>;
}

async function bumpVersion(project: string, version: string): Promise<void> {
  for (const [file, from, to] of [
    ['manifest.json', '"version": "1.0.0"', `"version": "${version}"`],
    ['src/main.ts', 'version: "1.0.0"', `version: "${version}"`],
  ] as const) {
    const text = await readFile(join(project, file), 'utf8');
    if (!text.includes(from)) throw new Error(`scaffold changed: no ${from} in ${file}`);
    await writeFile(join(project, file), text.replace(from, to));
  }
}

describe('operator upgrade with the CLI: activate a newer version over a binding, then roll back', () => {
  let folder: Awaited<ReturnType<typeof temporaryFolder>>;
  let store: string;

  beforeAll(async () => {
    folder = await temporaryFolder('upgrade');
    store = join(folder.path, 'runtime_store');
    const first = await scaffold(folder.path, 'upgrade', 'A01,A02');
    const second = join(folder.path, 'upgrade-next');
    await cp(first, second, { recursive: true, verbatimSymlinks: true });
    await bumpVersion(second, '1.1.0');
    for (const project of [first, second]) {
      const packaged = await runCli(['package', project, '-o', join(folder.path, 'zips'), '--json']);
      if (packaged.code !== 0) throw new Error(`package failed: ${packaged.stderr}`);
      const zip = packaged.json<{ zips: Array<{ path: string }> }>().zips[0]!.path;
      const installed = await runCli(['runner', 'install', zip, '--store', store]);
      if (installed.code !== 0) throw new Error(`install failed: ${installed.stderr}`);
    }
  }, 180_000);
  afterAll(() => folder.remove());

  it('activate 1.1.0 over a PID bound to 1.0.0 switches it (docs/cli.md), and rollback returns it', async () => {
    const first = await runCli(['runner', 'activate', 'upgrade', '1.0.0', '--pid', 'A01,A02', '--store', store, '--json']);
    expect(first.code, first.stderr).toBe(0);
    const upgraded = await runCli(['runner', 'activate', 'upgrade', '1.1.0', '--pid', 'A01', '--store', store, '--json']);
    expect(upgraded.code, upgraded.stderr).toBe(0);
    // The algorithm's info lines (its "shutting down") are not an operator's business without --debug.
    expect(upgraded.stderr).not.toContain('"level":"info"');
    expect(upgraded.json<ActiveDocument>().active).toMatchObject({
      A01: { name: 'upgrade', version: '1.1.0', previous: { name: 'upgrade', version: '1.0.0' } },
      A02: { name: 'upgrade', version: '1.0.0' },
    });
    const rolledBack = await runCli(['runner', 'rollback', 'upgrade', '--pid', 'A01', '--store', store, '--json']);
    expect(rolledBack.code, rolledBack.stderr).toBe(0);
    expect(rolledBack.json<ActiveDocument>().active['A01']).toMatchObject({ name: 'upgrade', version: '1.0.0' });
  }, 120_000);
});
