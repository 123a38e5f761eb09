// Shared by the Windows suites (node:test, run by scripts/test-windows.mjs under Wine, with the
// station folder as the working directory: its node_modules holds the win32-x64 install).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

assert.equal(process.platform, 'win32', 'the Windows suites run on Node for win32 only');

/** The runner's fake adapter (copied from packages/runner/test/fixtures by the script). */
export const fakeAdapterPath = fileURLToPath(new URL('./fixtures/fake-adapter.mjs', import.meta.url));
/** The fixtures folder: the fake algorithm's package root. */
export const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** True while a process with this pid exists. */
export function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits until `check()` is true (polling), failing after `timeoutMs`. */
export async function waitFor(check, timeoutMs = 10_000, what = 'condition') {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Runs an ES module script with this node.exe (cwd: the station); resolves with its stdout. */
export function nodeScript(source, args = [], env = {}) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', source, ...args], { env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) =>
      error ? reject(Object.assign(error, { stdout, stderr })) : resolve(stdout),
    );
  });
}

/** `call.data` for one step phase of the fake algorithm. */
export function stepCall(phase, userParams = {}, sessionState = {}) {
  return {
    phase,
    step_index: 1,
    pid: 'A01',
    session: { id: 'session-1', context: { product_code: 'A01' }, state: sessionState },
    user_params: userParams,
    shared_mem_id: 'dev-shm:fake',
    image_meta: { width: 64, height: 48, timestamp_ms: Date.now(), camera_id: 'cam-01', color_space: 'RGB' },
  };
}
