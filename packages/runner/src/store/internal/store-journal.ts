import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, unlink } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { StorePaths } from '../store-paths.js';

/**
 * One intent of a store operation, written (and fsynced) before the operation acts:
 * - `create`: the operation is about to create `path` (a staging folder, an npm cache, a
 *   partial archive, a package folder, an archived zip, a name folder);
 * - `write`: it is about to replace `registry.json` or `active.json` (atomically; recovery has nothing to undo);
 * - `remove`: it is about to remove the installed version `name@version` at `path`
 *   (`aside` is where the folder is moved before deletion).
 * Paths are relative to the store root.
 */
export type JournalIntent =
  | { intent: 'write'; path: string }
  | { intent: 'create'; path: string; role: 'staging' | 'package' | 'zip' | 'name-folder'; name?: string; version?: string }
  | { intent: 'remove'; path: string; aside: string; name: string; version: string };

/** A journal file as recovery reads it. */
export interface JournalFile {
  file: string;
  operation: string;
  pid: number;
  intents: JournalIntent[];
}

/** Observes every journal intent before the operation acts on it (tests freeze or kill the operation there). */
export type JournalListener = (operation: string, intent: JournalIntent) => void;

/** The journal of the operation this process runs on a store, by store root (one at a time: the store lock). */
const currentJournals = new Map<string, StoreJournal>();

/** `<store>/journal/`: one file per mutating operation in progress. */
export function journalFolder(paths: StorePaths): string {
  return join(paths.root, 'journal');
}

/**
 * The write-ahead journal of one mutating store operation (`<store>/journal/<id>.jsonl`):
 * every intent is appended and fsynced before the operation acts on it; the file is deleted
 * when the operation ends (either way). Recovery (the next locked operation) reads the files
 * a killed operation left and undoes or completes exactly what they list: it deletes nothing
 * a journal does not name.
 */
export class StoreJournal {
  private constructor(
    private readonly paths: StorePaths,
    readonly file: string,
    readonly operation: string,
    private readonly listener: JournalListener | undefined,
  ) {}

  /** Starts the journal of `operation` (the caller holds the store lock); it is the store's current journal until {@link end}. */
  static async begin(paths: StorePaths, operation: string, listener?: JournalListener): Promise<StoreJournal> {
    await mkdir(journalFolder(paths), { recursive: true });
    const file = join(journalFolder(paths), `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.jsonl`);
    const journal = new StoreJournal(paths, file, operation, listener);
    await journal.append({ operation, pid: process.pid, started_at: new Date().toISOString() });
    currentJournals.set(paths.root, journal);
    return journal;
  }

  /** The journal of the operation this process runs on the store, if any. */
  static current(paths: StorePaths): StoreJournal | undefined {
    return currentJournals.get(paths.root);
  }

  /** Records an intent (absolute paths are stored relative to the store), durable before it returns. */
  async note(intent: JournalIntent): Promise<void> {
    const relativeTo = (path: string): string => relative(this.paths.root, resolve(this.paths.root, path));
    const stored =
      intent.intent === 'remove' ? { ...intent, path: relativeTo(intent.path), aside: relativeTo(intent.aside) } : { ...intent, path: relativeTo(intent.path) };
    await this.append(stored);
    this.listener?.(this.operation, stored);
  }

  /** Stops being the store's current journal, leaving the file for recovery to replay (a failed operation). */
  detach(): Promise<void> {
    if (currentJournals.get(this.paths.root) === this) currentJournals.delete(this.paths.root);
    return Promise.resolve();
  }

  /** Ends the operation: its journal file is deleted. */
  async end(): Promise<void> {
    if (currentJournals.get(this.paths.root) === this) currentJournals.delete(this.paths.root);
    await unlink(this.file).catch(() => undefined);
  }

  private async append(value: unknown): Promise<void> {
    const handle = await open(this.file, 'a');
    try {
      await handle.appendFile(`${JSON.stringify(value)}\n`);
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }
}

/** Notes an intent in the store's current journal (none outside an operation: nothing to record). */
export async function noteIntent(paths: StorePaths, intent: JournalIntent): Promise<void> {
  await StoreJournal.current(paths)?.note(intent);
}

/** Every journal a killed operation left (unparseable lines are skipped; a file with no header is still read). */
export async function readJournals(paths: StorePaths): Promise<JournalFile[]> {
  let names: string[];
  try {
    names = (await readdir(journalFolder(paths))).filter((name) => name.endsWith('.jsonl')).sort();
  } catch {
    return [];
  }
  const journals: JournalFile[] = [];
  for (const name of names) {
    const file = join(journalFolder(paths), name);
    const lines = (await readFile(file, 'utf8').catch(() => '')).split('\n').filter((line) => line.trim() !== '');
    const values = lines.flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
    const header = values.find((value) => typeof value.operation === 'string');
    journals.push({
      file,
      operation: typeof header?.operation === 'string' ? header.operation : 'unknown',
      pid: typeof header?.pid === 'number' ? header.pid : 0,
      intents: values.filter((value) => typeof value.intent === 'string') as unknown as JournalIntent[],
    });
  }
  return journals;
}
