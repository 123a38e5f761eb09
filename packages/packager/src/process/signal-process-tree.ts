import { type ChildProcess, execFile } from 'node:child_process';

/**
 * Sends `signal` to the child's whole process group (children spawned by {@link runProcess}
 * and the runner's adapters are group leaders, so grandchildren go too), falling back to the
 * child alone. On Windows, where signals do not exist, `taskkill /T` ends the process tree
 * (`/F` for SIGKILL). Does nothing once the child has exited.
 */
export function signalProcessTree(child: ChildProcess, signal: 'SIGTERM' | 'SIGKILL'): void {
  const pid = child.pid;
  if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  if (process.platform === 'win32') {
    const args = ['/pid', String(pid), '/T', ...(signal === 'SIGKILL' ? ['/F'] : [])];
    execFile('taskkill', args, () => {});
    return;
  }
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
