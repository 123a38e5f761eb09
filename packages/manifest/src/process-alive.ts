/**
 * True while a process with this pid exists (EPERM: it exists but belongs to another user).
 * How the shm orphan sweep and the runner's upload-folder sweep tell a leftover of a dead
 * process from one still in use.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
