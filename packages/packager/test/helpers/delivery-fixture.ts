import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signDelivery, type KeyInput } from '../../src/index.js';
import type { RawEntry } from './raw-zip.js';

/** A shared npm cache reused across test runs (packaging tests are network-bound). */
export const sharedNpmCache = join(tmpdir(), 'procvision-packager-test-npm-cache');

/** A temp folder removed by the returned cleanup. */
export function temporaryFolder(prefix: string): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** The files of a minimal valid delivery zip without dependencies. */
export function minimalFiles(): Map<string, Buffer> {
  return new Map([
    ['manifest.json', Buffer.from(JSON.stringify({ name: 'demo-algo', version: '1.0.0', entry_point: 'dist/main.js:Demo', supported_pids: ['A01'] }))],
    ['package.json', Buffer.from(JSON.stringify({ name: 'demo-algo', version: '1.0.0', type: 'module', dependencies: {} }))],
    [
      'package-lock.json',
      Buffer.from(
        JSON.stringify({ name: 'demo-algo', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': { name: 'demo-algo', version: '1.0.0' } } }),
      ),
    ],
    ['dist/main.js', Buffer.from('export class Demo {}\n')],
  ]);
}

/** delivery.json for `files` (every file listed with its sha256 and size). */
function deliveryFor(files: Map<string, Buffer>, target = { os: 'linux', cpu: 'x64', libc: 'glibc' }): Buffer {
  const listed: Record<string, { sha256: string; size: number }> = {};
  for (const [name, data] of [...files].sort(([left], [right]) => (left < right ? -1 : 1)))
    listed[name] = { sha256: createHash('sha256').update(data).digest('hex'), size: data.length };
  const delivery = {
    format_version: 1,
    name: 'demo-algo',
    version: '1.0.0',
    target: { ...target, node_abi: process.versions.modules, node_range: '>=20' },
    sdk_version: null,
    created_at: '2025-01-01T00:00:00.000Z',
    files: listed,
    dependencies: [],
  };
  return Buffer.from(JSON.stringify(delivery, null, 2));
}

/** The raw entries of a valid delivery zip, optionally signed, plus `extra` entries appended unlisted. */
export function deliveryEntries(
  options: { files?: Map<string, Buffer>; signKey?: KeyInput; extra?: RawEntry[]; target?: { os: string; cpu: string; libc?: string } } = {},
): RawEntry[] {
  const files = options.files ?? minimalFiles();
  const delivery = deliveryFor(files, options.target as never);
  const entries: RawEntry[] = [{ name: 'delivery.json', data: delivery }];
  if (options.signKey !== undefined) entries.push({ name: 'SIGNATURE', data: Buffer.from(JSON.stringify(signDelivery(delivery, options.signKey))) });
  for (const [name, data] of files) entries.push({ name, data });
  return [...entries, ...(options.extra ?? [])];
}
