import { readFileSync } from 'node:fs';

/** Kernel clock ticks per second of `/proc/<pid>/stat` times (USER_HZ: 100 on every Linux architecture Node runs on). */
const ticksPerSecond = 100;

/** CPU time and resident memory of one OS process, read from `/proc`. */
export interface ProcessResources {
  /** User plus system CPU time, seconds (`/proc/<pid>/stat` fields 14 and 15). */
  cpuSeconds: number;
  /** Resident set size, bytes (`VmRSS` of `/proc/<pid>/status`, in kB there: no page size needed). */
  rssBytes: number;
}

/**
 * The CPU seconds and RSS of process `pid` now; undefined when it is gone or there is no
 * `/proc` (not Linux). Two small reads, no child process: cheap enough for every scrape and
 * for a memory-limit check each second.
 */
export function readProcessResources(pid: number): ProcessResources | undefined {
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
    const rss = /^VmRSS:\s+(\d+) kB$/m.exec(status);
    // A zombie has no VmRSS line: it holds no memory any more.
    return { cpuSeconds: ticks / ticksPerSecond, rssBytes: rss ? Number(rss[1]) * 1024 : 0 };
  } catch {
    return undefined;
  }
}
