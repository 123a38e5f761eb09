import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isProcessAlive } from '../src/process-exit.js';

describe('isProcessAlive', () => {
  it('is true for this process and a running child, false once the child has exited and been reaped', async () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    const pid = child.pid ?? 0;
    expect(isProcessAlive(pid)).toBe(true);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(isProcessAlive(pid)).toBe(false);
  });

  it("counts pid 1 as alive, whether it is ours to signal or another user's (EPERM)", () => {
    expect(isProcessAlive(1)).toBe(true);
  });
});
