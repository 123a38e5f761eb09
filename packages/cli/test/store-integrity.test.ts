import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRecords, buildTinyZip, storeSnapshot } from '../../runner/test/store-fixtures/store-fixtures.js';
import { runCli, temporaryFolder } from './cli-helpers.js';

let folder: { path: string; remove(): Promise<void> };
const zips: Record<string, string> = {};
beforeAll(async () => {
  folder = await temporaryFolder('procvision-store-integrity-');
  for (const version of ['1.0.0', '1.1.0']) zips[version] = await buildTinyZip(folder.path, join(folder.path, 'zips'), { version, withDependency: false });
}, 120_000);
afterAll(() => folder.remove());

async function installBoth(root: string): Promise<void> {
  for (const version of ['1.0.0', '1.1.0']) expect((await runCli(['runner', 'install', zips[version]!, '--store', root])).code).toBe(0);
}

describe('a missing registry.json loses nothing', () => {
  it('`runner list` shows every deployed version from the install records, writes nothing; the next mutating command (uninstall) writes the registry back first', async () => {
    const root = join(folder.path, 'store-missing');
    await installBoth(root);
    rmSync(join(root, 'registry.json'));
    const before = storeSnapshot(root);
    const auditBefore = auditRecords(root).length;

    const listed = await runCli(['runner', 'list', '--store', root, '--json']);
    expect(listed.code).toBe(0);
    expect(listed.json<{ packages: Array<{ version: string }> }>().packages.map((entry) => entry.version)).toEqual(['1.0.0', '1.1.0']);
    // Read-only: no file changed, no recovery audited, registry.json still missing.
    expect(storeSnapshot(root)).toEqual(before);
    expect(auditRecords(root)).toHaveLength(auditBefore);
    expect(existsSync(join(root, 'registry.json'))).toBe(false);

    const uninstalled = await runCli(['runner', 'uninstall', 'tiny-algo', '1.0.0', '--store', root]);
    expect(uninstalled.code, uninstalled.stderr).toBe(0);
    const registry = JSON.parse(readFileSync(join(root, 'registry.json'), 'utf8')) as { packages: Array<{ version: string }> };
    expect(registry.packages.map((entry) => entry.version)).toEqual(['1.1.0']);
    expect(readdirSync(join(root, 'algorithms', 'deployed', 'tiny-algo')).sort()).toEqual(['1.1.0']);
    expect(auditRecords(root).find((record) => record.operation === 'recover')).toMatchObject({
      outcome: 'ok',
      subject: { registry_rebuilt: true, removed: [] },
    });
  }, 120_000);

  it('refuses (exit 1, code 2005, folders named) when a deployed folder carries no install record, and deletes nothing', async () => {
    const root = join(folder.path, 'store-legacy');
    await installBoth(root);
    rmSync(join(root, 'registry.json'));
    rmSync(join(root, 'algorithms', 'deployed', 'tiny-algo', '1.0.0', '.procvision-install.json'));
    const before = storeSnapshot(root);
    for (const args of [
      ['runner', 'list', '--store', root, '--json'],
      ['runner', 'uninstall', 'tiny-algo', '1.1.0', '--store', root, '--json'],
    ]) {
      const run = await runCli(args);
      expect(run.code).not.toBe(0);
      expect(run.stdout + run.stderr).toContain('2005');
      expect(run.stdout + run.stderr).toContain('<store>/algorithms/deployed/tiny-algo/1.0.0');
      expect(storeSnapshot(root)).toEqual(before);
    }
  }, 120_000);

  it('recovery leaves folders no journal names: an unregistered folder is kept', async () => {
    const root = join(folder.path, 'store-stranger');
    await installBoth(root);
    const stranger = join(root, 'algorithms', 'deployed', 'someone-elses', '0.1.0');
    mkdirSync(stranger, { recursive: true });
    writeFileSync(join(stranger, 'data.bin'), 'keep me');
    mkdirSync(join(root, 'algorithms', 'deployed', '.staging-not-ours'));
    expect((await runCli(['runner', 'uninstall', 'tiny-algo', '1.0.0', '--store', root])).code).toBe(0);
    expect(readFileSync(join(stranger, 'data.bin'), 'utf8')).toBe('keep me');
    expect(existsSync(join(root, 'algorithms', 'deployed', '.staging-not-ours'))).toBe(true);
    expect(readdirSync(join(root, 'algorithms', 'deployed', 'tiny-algo'))).toEqual(['1.1.0']);
  }, 120_000);
});
