import { readdir, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { findEntry, readRegistry } from './registry.js';
import type { StorePaths } from './store-paths.js';

async function listDirectory(path: string): Promise<string[]> {
  try {
    return await readdir(path);
  } catch {
    return [];
  }
}

/**
 * Removes what a killed operation left behind; the caller holds the store lock. Staging folders
 * and npm caches (`deployed/.staging-*`), half-copied archives (`zips/.partial-*`), temp files
 * of atomic writes, and installed folders that never reached registry.json (a kill between the
 * rename and the registry write). Returns the removed paths.
 */
export async function recoverStore(paths: StorePaths): Promise<string[]> {
  const removed: string[] = [];
  const remove = async (path: string): Promise<void> => {
    await rm(path, { recursive: true, force: true });
    removed.push(path);
  };
  for (const name of await listDirectory(paths.deployed)) if (name.startsWith('.staging-')) await remove(join(paths.deployed, name));
  for (const name of await listDirectory(paths.zips)) if (name.startsWith('.partial-')) await remove(join(paths.zips, name));
  for (const name of await listDirectory(paths.root)) if (/^(registry|active)\.json\.[0-9a-f]+$/.test(name)) await remove(join(paths.root, name));
  const registry = await readRegistry(paths);
  for (const name of await listDirectory(paths.deployed)) {
    if (name.startsWith('.')) continue;
    const versions = await listDirectory(join(paths.deployed, name));
    for (const version of versions) if (findEntry(registry, name, version) === undefined) await remove(join(paths.deployed, name, version));
    if ((await listDirectory(join(paths.deployed, name))).length === 0) await rmdir(join(paths.deployed, name)).catch(() => undefined);
  }
  return removed;
}
