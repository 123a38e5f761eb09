import { type ChildProcess, execFile } from 'node:child_process';

/** Options of {@link signalProcessTree}. */
export interface SignalProcessTreeOptions {
  /**
   * Also once the child itself has exited: what is left of its process group (grandchildren
   * still running, holding its pipes) gets the signal. POSIX only (Windows cannot find the tree
   * once its root is gone). Default false: nothing is sent after the child's exit.
   */
  afterExit?: boolean;
}

/**
 * Sends `signal` to the child's whole process group (children spawned by {@link runProcess}
 * and the runner's adapters are group leaders, so grandchildren go too), falling back to the
 * child alone. On Windows, where signals do not exist, `taskkill /T` ends the process tree
 * (`/F` for SIGKILL). Does nothing once the child has exited, unless `afterExit`.
 */
export function signalProcessTree(child: ChildProcess, signal: 'SIGTERM' | 'SIGKILL', options: SignalProcessTreeOptions = {}): void {
  const pid = child.pid;
  if (pid === undefined) return;
  const exited = child.exitCode !== null || child.signalCode !== null;
  if (process.platform === 'win32') {
    if (exited) return;
    const args = ['/pid', String(pid), '/T', ...(signal === 'SIGKILL' ? ['/F'] : [])];
    execFile('taskkill', args, () => {});
    return;
  }
  if (exited && options.afterExit !== true) return;
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}
