import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The real Python SDK for interop tests: the folder of both generations and a python with numpy + Pillow. */
interface PythonSdk {
  /** `$PROCVISION_PY_SDK`: holds `v0.0.6/` and `v0.3.2/`. */
  root: string;
  /** `$PROCVISION_PYTHON` (default `python3`). */
  python: string;
  v006: string;
  v032: string;
}

/**
 * Finds the Python SDK through `PROCVISION_PY_SDK` and `PROCVISION_PYTHON`; when either is
 * missing, returns why (the suite then skips with that one line).
 */
export function findPythonSdk(): { ok: true; sdk: PythonSdk } | { ok: false; reason: string } {
  const root = process.env['PROCVISION_PY_SDK'];
  const python = process.env['PROCVISION_PYTHON'] || 'python3';
  if (!root) return { ok: false, reason: 'PROCVISION_PY_SDK is not set (a folder holding v0.0.6/ and v0.3.2/ of the Python SDK)' };
  const v006 = join(root, 'v0.0.6');
  const v032 = join(root, 'v0.3.2');
  for (const folder of [v006, v032]) {
    if (!existsSync(join(folder, 'procvision_algorithm_sdk', 'adapter', '__main__.py')))
      return { ok: false, reason: `PROCVISION_PY_SDK=${root} has no ${folder}/procvision_algorithm_sdk` };
  }
  const probe = spawnSync(python, ['-c', 'import numpy, PIL'], { encoding: 'utf8', timeout: 30_000 });
  if (probe.error || probe.status !== 0)
    return { ok: false, reason: `${python} cannot import numpy and PIL (set PROCVISION_PYTHON, or apt-get install python3-numpy python3-pil)` };
  return { ok: true, sdk: { root, python, v006, v032 } };
}

/** The suite's one skip line, printed once per file. */
export function reportSkip(suite: string, found: ReturnType<typeof findPythonSdk>): boolean {
  if (found.ok) return false;
  console.warn(`[${suite}] skipped: ${found.reason}`);
  return true;
}
