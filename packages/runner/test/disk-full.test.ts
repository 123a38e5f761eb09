import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackageStore } from '../src/store/index.js';
import { createRunnerService, type RunnerService } from '../src/http/index.js';
import { call } from './hardening-fixtures.js';
import { buildTinyZip, temporaryFolder } from './store-fixtures/store-fixtures.js';

const folder = temporaryFolder('procvision-disk-full-');
const mounts: string[] = [];

/** Mounts a tmpfs of `size` at a new folder; undefined when this machine does not let us. */
function smallDisk(name: string, size: string): string | undefined {
  const path = join(folder.path, name);
  mkdirSync(path);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', path], { stdio: 'ignore' });
    mounts.push(path);
    return path;
  } catch {
    return undefined;
  }
}

/** Writes a filler file until the disk refuses (ENOSPC). */
function fill(disk: string): void {
  const fd = openSync(join(disk, 'filler'), 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
  } finally {
    closeSync(fd);
  }
}

const canMount = smallDisk('probe', '1m') !== undefined;
let zip = '';
beforeAll(async () => {
  zip = await buildTinyZip(folder.path, join(folder.path, 'zips'), { version: '1.0.0', withDependency: false });
}, 120_000);
afterAll(() => {
  for (const path of mounts) execFileSync('umount', ['-l', path]);
  folder.cleanup();
});

describe.runIf(canMount)('disk conditions are 2005 naming the disk, 507 over HTTP (real tmpfs mounts)', () => {
  const services: RunnerService[] = [];
  afterAll(async () => {
    for (const service of services) await service.close();
  });

  it('a full store disk: uninstall --force fails 2005 naming the store, DELETE ?force=1 is 507; nothing is lost', async () => {
    const disk = smallDisk('store-disk', '16m')!;
    const store = await PackageStore.open(join(disk, 'store'));
    await store.install(zip);
    const service = createRunnerService({ store, port: 0, logger: { log() {} } });
    services.push(service);
    const url = await service.listen();
    fill(disk);
    const refused = await store.uninstall('tiny-algo', '1.0.0', { force: true }).then(
      () => undefined,
      (error: unknown) => error as { code?: string; message: string; details?: Record<string, unknown> },
    );
    expect(refused?.code).toBe('2005');
    expect(refused?.details).toMatchObject({ disk_role: 'store', errno: 'ENOSPC' });
    expect(refused?.message).toMatch(/^the store disk .* ENOSPC/);
    const removed = await call(url, 'DELETE', '/packages/tiny-algo/1.0.0?force=1');
    expect(removed.status, removed.text).toBe(507);
    expect(removed.json.error).toMatchObject({ code: '2005', details: { disk_role: 'store', errno: 'ENOSPC' } });
    expect(removed.text).not.toContain(disk);
    expect((await store.list()).map((entry) => entry.version)).toEqual(['1.0.0']);
  }, 120_000);

  it('an upload larger than the temporary folder is 507 with 2005 naming the uploads disk, answered rather than reset', async () => {
    const temp = smallDisk('temp-disk', '1m')!;
    const store = await PackageStore.open(join(folder.path, 'store-uploads'));
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = temp;
    const service = createRunnerService({ store, port: 0, logger: { log() {} } });
    services.push(service);
    let url: string;
    try {
      url = await service.listen();
    } finally {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
    }
    const upload = await call(url, 'POST', '/packages', new Uint8Array(3 * 1024 * 1024), { 'content-type': 'application/zip' });
    expect(upload.status, upload.text).toBe(507);
    expect(upload.json.error).toMatchObject({ code: '2005', details: { disk_role: 'uploads', errno: 'ENOSPC' } });
  }, 120_000);
});
