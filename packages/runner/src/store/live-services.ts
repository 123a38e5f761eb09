import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeJsonFile } from './internal/json-file.js';
import { hostname } from 'node:os';
import { currentProcessOwner, isOwnerGone, type ProcessOwner } from '@procvision/manifest/process-exit';
import type { StorePaths } from './store-paths.js';

/** `<store>/services/<host>-<pid>.json`: a runner service on this store, and the versions it runs. */
export const liveServiceSchema = z.object({
  pid: z.number().int(),
  boot_id: z.string().nullable(),
  start_ticks: z.string().nullable(),
  host: z.string(),
  /** Where it answers (`http://127.0.0.1:7070`). */
  url: z.string(),
  started_at: z.string(),
  /** `name@version` of every process it runs now. */
  versions: z.array(z.string()),
  updated_at: z.string(),
});

/** One live service's record. */
export type LiveService = z.infer<typeof liveServiceSchema>;

/** This process as a service record names it. */
type ServiceIdentity = ProcessOwner & { host: string };

function currentIdentity(): ServiceIdentity {
  return { ...currentProcessOwner(), host: hostname() };
}

function recordPath(paths: StorePaths, identity: ServiceIdentity): string {
  return join(paths.services, `${identity.host.replace(/[^A-Za-z0-9._-]/g, '_')}-${String(identity.pid)}.json`);
}

/**
 * This process's record as a service on the store: written when it starts serving and whenever
 * the versions it runs change, removed when it stops. Each service writes only its own file
 * (atomically), so no store lock is needed.
 */
export class LiveServiceRecord {
  private readonly identity = currentIdentity();
  private readonly startedAt = new Date().toISOString();
  private written = '';

  constructor(
    private readonly paths: StorePaths,
    private readonly url: string,
  ) {}

  /** Writes the record when `versions` differ from what it last wrote (or `force`). */
  async update(versions: readonly string[], force = false): Promise<void> {
    const sorted = [...versions].sort();
    const key = sorted.join('\n');
    if (!force && key === this.written) return;
    await mkdir(this.paths.services, { recursive: true });
    const record: LiveService = { ...this.identity, url: this.url, started_at: this.startedAt, versions: sorted, updated_at: new Date().toISOString() };
    await writeJsonFile(recordPath(this.paths, this.identity), record);
    this.written = key;
  }

  /** Removes the record (the service stopped). */
  async remove(): Promise<void> {
    await rm(recordPath(this.paths, this.identity), { force: true });
  }
}

/**
 * The services recorded on the store whose process is alive (records of dead ones are removed
 * when `sweep` is true), this process excluded.
 */
export async function liveServices(paths: StorePaths, options: { sweep?: boolean } = {}): Promise<LiveService[]> {
  let names: string[];
  try {
    names = (await readdir(paths.services)).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
  const self = currentIdentity();
  const live: LiveService[] = [];
  for (const name of names) {
    const path = join(paths.services, name);
    let record: LiveService;
    try {
      record = liveServiceSchema.parse(JSON.parse(await readFile(path, 'utf8')));
    } catch {
      continue;
    }
    // A record of another host is never taken for gone (a store shared across machines is not supported).
    if (record.host === self.host && isOwnerGone(record)) {
      if (options.sweep === true) await rm(path, { force: true });
      continue;
    }
    if (record.host === self.host && record.pid === self.pid) continue;
    live.push(record);
  }
  return live;
}
