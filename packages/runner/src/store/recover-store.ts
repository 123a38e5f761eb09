import { access, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { readJournals } from './internal/store-journal.js';
import { findEntry, installRecordFile, readRegistry, writeInstallRecord, writeRegistry } from './registry.js';
import { deployedPath, type StorePaths } from './store-paths.js';

/** What a recovery did. */
export interface RecoveryOutcome {
  /** Paths removed (staging folders, unfinished package folders, archives a killed install created). */
  removed: string[];
  /** Package folders put back (an uninstall killed before its registry write). */
  restored: string[];
  /** The operations whose journals were replayed. */
  journals: string[];
  /** Whether registry.json was missing and written back from the install records. */
  rebuilt: boolean;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * Finishes or undoes what killed operations left, as their journals (`<store>/journal/`) name
 * it; the caller holds the store lock, so no journal belongs to a live operation. Only paths a
 * journal names are deleted: staging folders and partial archives; a package folder or
 * archived zip an install created but never registered; the folder of an uninstall whose
 * registry write happened (its folder is put back when it did not). A registry.json that is
 * missing is written back from the install records; install records missing from registered
 * folders (stores older than install records) are written. Temp files of atomic writes of
 * registry.json and active.json are removed.
 */
export async function recoverStore(paths: StorePaths): Promise<RecoveryOutcome> {
  const outcome: RecoveryOutcome = { removed: [], restored: [], journals: [], rebuilt: false };
  const remove = async (path: string): Promise<void> => {
    if (!(await exists(path))) return;
    await rm(path, { recursive: true, force: true });
    outcome.removed.push(path);
  };
  const rootFiles = await readdir(paths.root).catch(() => []);
  for (const name of rootFiles) if (/^(registry|active)\.json\.[0-9a-f]+$/.test(name)) await remove(join(paths.root, name));
  const journals = await readJournals(paths);
  const registry = await readRegistry(paths);
  for (const journal of journals) {
    for (const intent of journal.intents) {
      if (intent.intent === 'write') continue;
      const path = resolve(paths.root, intent.path);
      if (intent.intent === 'remove') {
        const aside = resolve(paths.root, intent.aside);
        if (findEntry(registry, intent.name, intent.version) !== undefined) {
          if ((await exists(aside)) && !(await exists(path))) {
            await rename(aside, path);
            outcome.restored.push(path);
          }
        } else {
          await remove(aside);
          await remove(path);
          await rmdir(join(paths.deployed, intent.name)).catch(() => undefined);
        }
      } else if (intent.role === 'staging') await remove(path);
      else if (intent.role === 'zip') {
        if (!registry.packages.some((entry) => entry.zip_file === basename(path))) await remove(path);
      } else if (intent.role === 'package') {
        if (intent.name !== undefined && intent.version !== undefined && findEntry(registry, intent.name, intent.version) === undefined) await remove(path);
      }
    }
    // Name folders last: empty once their versions are gone.
    for (const intent of journal.intents)
      if (intent.intent === 'create' && intent.role === 'name-folder') await rmdir(resolve(paths.root, intent.path)).catch(() => undefined);
    await rm(journal.file, { force: true });
    outcome.journals.push(journal.operation);
  }
  if (!(await exists(paths.registry)) && registry.packages.length > 0) {
    await writeRegistry(paths, registry);
    outcome.rebuilt = true;
  }
  for (const entry of registry.packages) {
    const folder = deployedPath(paths, entry.name, entry.version);
    if ((await exists(folder)) && !(await exists(join(folder, installRecordFile)))) await writeInstallRecord(folder, entry).catch(() => undefined);
  }
  return outcome;
}
