import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, temporaryFolder } from './cli-helpers.js';

describe('runner commands on a store that does not exist', () => {
  let folder: Awaited<ReturnType<typeof temporaryFolder>>;
  beforeAll(async () => {
    folder = await temporaryFolder('missing-store');
  });
  afterAll(() => folder.remove());

  it('list exits 2 with what to do and does not create the folder', async () => {
    const store = join(folder.path, 'no-store');
    const run = await runCli(['runner', 'list', '--store', store, '--json']);
    expect(run.code).toBe(2);
    expect(run.json<{ error: { message: string } }>().error.message).toBe(
      `no package store at ${store}; install a package first (procvision runner install <zip> --store ${store}) or pass --store`,
    );
    expect(existsSync(store)).toBe(false);
  });

  it('activate, rollback, uninstall and exec exit 2 too, with $PROCVISION_STORE as with --store', async () => {
    const store = join(folder.path, 'from-env');
    const image = join(folder.path, 'part.png');
    const { default: sharp } = await import('sharp');
    await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } })
      .png()
      .toFile(image);
    for (const args of [
      ['activate', 'demo', '1.0.0', '--pid', 'A01'],
      ['rollback', 'demo', '--pid', 'A01'],
      ['uninstall', 'demo', '1.0.0'],
      ['exec', '--pid', 'A01', '--image', image],
    ]) {
      const run = await runCli(['runner', ...args], { env: { PROCVISION_STORE: store } });
      expect(run.stderr, args[0]).toContain(`no package store at ${store};`);
      expect(run.code, args[0]).toBe(2);
    }
    expect(existsSync(store)).toBe(false);
  });

  it('an existing folder that is not a store is refused without writing into it', async () => {
    const store = join(folder.path, 'empty');
    await mkdir(store);
    const run = await runCli(['runner', 'list', '--store', store]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('has no registry.json or algorithms/');
    expect(existsSync(join(store, 'algorithms'))).toBe(false);
  });
});
