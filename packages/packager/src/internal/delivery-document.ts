import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Delivery, DeliveryDependency, DeliveryTarget } from '@procvision/manifest';
import type { InstalledPackage } from './install-set.js';
import type { ZipSource } from './project-files.js';

async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return { sha256: hash.digest('hex'), size: (await stat(path)).size };
}

/** What delivery.json says beyond the file list. */
interface DeliveryFacts {
  name: string;
  version: string;
  target: DeliveryTarget;
  createdAt: Date;
}

/** Builds delivery.json: sha256 + size of every source (sorted by name) and the install set. */
export async function createDelivery(
  facts: DeliveryFacts,
  sources: readonly ZipSource[],
  installSet: readonly InstalledPackage[],
  tarballs: Map<string, string>,
): Promise<Delivery> {
  const files: Delivery['files'] = {};
  for (const source of [...sources].sort((left, right) => (left.name < right.name ? -1 : 1))) files[source.name] = await hashFile(source.path);
  const dependencies: DeliveryDependency[] = installSet.map((entry) => ({
    name: entry.name,
    version: entry.version,
    path: entry.path,
    tarball: tarballs.get(entry.path) ?? '',
    integrity: entry.integrity,
  }));
  return {
    format_version: 1,
    name: facts.name,
    version: facts.version,
    target: facts.target,
    sdk_version: installSet.find((entry) => entry.name === '@procvision/sdk')?.version ?? null,
    created_at: facts.createdAt.toISOString(),
    files,
    dependencies,
  };
}
