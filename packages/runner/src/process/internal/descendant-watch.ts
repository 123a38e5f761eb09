import { readdirSync, readFileSync } from 'node:fs';

/** Field 22 (starttime, clock ticks since boot) of `/proc/<pid>/stat`; undefined when the process is gone. */
function startTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** The direct children of `pid` (every thread's `/proc/<pid>/task/<tid>/children`). */
function childrenOf(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${String(pid)}/task`);
  } catch {
    return [];
  }
  const children: number[] = [];
  for (const task of tasks) {
    try {
      for (const text of readFileSync(`/proc/${String(pid)}/task/${task}/children`, 'utf8').split(' ')) if (text.trim() !== '') children.push(Number(text));
    } catch {
      // the thread ended
    }
  }
  return children;
}

const supported = process.platform === 'linux' && startTicks(process.pid) !== undefined;

/**
 * Every process an algorithm started, also those that left its process group (`detached`,
 * `setsid`) and those reparented to init after it ended: while the algorithm runs, its
 * descendant tree is walked through `/proc/<pid>/task/<tid>/children` (every `intervalMs`, and
 * whenever asked), and every descendant seen is remembered with its start time, so that
 * {@link DescendantWatch.killAll} ends exactly those (a reused pid is left alone). Linux only;
 * elsewhere it does nothing (Windows: the Job Object contains the tree).
 */
export class DescendantWatch {
  private readonly seen = new Map<number, string>();
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly rootPid: number,
    intervalMs = 1_000,
  ) {
    if (!supported || rootPid <= 0) return;
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  /** Walks the tree now: the root's descendants, and the descendants of every remembered process still alive. */
  sample(): void {
    if (!supported || this.rootPid <= 0) return;
    const queue = [this.rootPid, ...this.seen.keys()];
    const visited = new Set<number>();
    while (queue.length > 0) {
      const pid = queue.pop() as number;
      if (visited.has(pid)) continue;
      visited.add(pid);
      for (const child of childrenOf(pid)) {
        if (!this.seen.has(child)) {
          const ticks = startTicks(child);
          if (ticks === undefined) continue;
          this.seen.set(child, ticks);
        }
        queue.push(child);
      }
    }
  }

  /** Stops the periodic walk (the root has exited). */
  stop(): void {
    clearInterval(this.timer);
  }

  /** Sends `signal` to every remembered descendant that is still the same process; returns their pids. */
  killAll(signal: NodeJS.Signals): number[] {
    const killed: number[] = [];
    for (const [pid, ticks] of this.seen) {
      if (startTicks(pid) !== ticks) {
        this.seen.delete(pid);
        continue;
      }
      try {
        process.kill(pid, signal);
        killed.push(pid);
      } catch {
        this.seen.delete(pid);
      }
    }
    return killed;
  }
}
