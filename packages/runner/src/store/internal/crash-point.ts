import { existsSync, readdirSync, writeFileSync } from 'node:fs';

/** Where the installer can be made to kill itself (tests of crash safety). */
export type InstallCrashStage = 'extracting' | 'npm-ci' | 'before-rename' | 'before-registry-write';

/** Test-only: `PROCVISION_STORE_TEST_CRASH_AT=<stage>` makes the installer SIGKILL itself at that stage. */
export const crashStageVariable = 'PROCVISION_STORE_TEST_CRASH_AT';
/** Test-only: where the installer writes the pid of its `npm ci` child before crashing in it. */
export const crashPidFileVariable = 'PROCVISION_STORE_TEST_CRASH_PIDFILE';

function crashRequested(stage: InstallCrashStage): boolean {
  return process.env[crashStageVariable] === stage;
}

/** SIGKILLs this process when the test hook asks for `stage` (a no-op otherwise). */
export function crashPoint(stage: InstallCrashStage): void {
  if (crashRequested(stage)) process.kill(process.pid, 'SIGKILL');
}

/** For stage `extracting`: SIGKILLs this process once the staging folder holds a file. Returns a stop function. */
export function crashWhileExtracting(stagingDir: string): () => void {
  if (!crashRequested('extracting')) return () => undefined;
  const timer = setInterval(() => {
    if (existsSync(stagingDir) && readdirSync(stagingDir).length > 0) process.kill(process.pid, 'SIGKILL');
  }, 1);
  return () => clearInterval(timer);
}

/** For stage `npm-ci`: records the npm child's pid, then SIGKILLs this process while npm runs. */
export function crashWhileInstalling(npmPid: number | undefined): void {
  if (!crashRequested('npm-ci')) return;
  const pidFile = process.env[crashPidFileVariable];
  if (pidFile !== undefined && npmPid !== undefined) writeFileSync(pidFile, String(npmPid));
  setTimeout(() => process.kill(process.pid, 'SIGKILL'), 50);
}
