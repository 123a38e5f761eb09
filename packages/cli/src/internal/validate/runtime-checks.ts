import { isDeepStrictEqual } from 'node:util';
import { type AlgorithmInfo, type Manifest } from '@procvision/manifest';
import type { CheckList } from './check-list.js';

/** Files the start-up failure of the adapter under the check it belongs to. */
export function checkStartupFailure(checks: CheckList, message: string, exportName: string): void {
  if (/not found in|has no export named|no entry point|entry point .* is malformed/.test(message)) {
    checks.fail('entry import', message);
    return;
  }
  checks.pass('entry import', 'the entry module loads');
  if (/expected a class extending BaseAlgorithm|does not implement/.test(message)) {
    checks.fail('extends BaseAlgorithm', message);
    return;
  }
  if (/getInfo\(\)/.test(message)) {
    checks.pass('extends BaseAlgorithm', `${exportName} implements getInfo, preExecute, execute`);
    checks.fail('getInfo() shape', message);
    return;
  }
  checks.fail('adapter start-up', message);
}

/** Checks that getInfo() agrees with the manifest (name, version, supported_pids, steps). */
export function checkInfoConsistency(checks: CheckList, manifest: Manifest, info: AlgorithmInfo): void {
  const mismatches: string[] = [];
  if (info.name !== manifest.name) mismatches.push(`name: getInfo() says ${JSON.stringify(info.name)}, manifest.json ${JSON.stringify(manifest.name)}`);
  if (info.version !== manifest.version)
    mismatches.push(`version: getInfo() says ${JSON.stringify(info.version)}, manifest.json ${JSON.stringify(manifest.version)}`);
  const infoPids = [...info.supported_pids].sort();
  const manifestPids = [...manifest.supported_pids].sort();
  if (!isDeepStrictEqual(infoPids, manifestPids)) {
    mismatches.push(`supported_pids: getInfo() says [${info.supported_pids.join(', ')}], manifest.json [${manifest.supported_pids.join(', ')}]`);
  }
  if (mismatches.length > 0) checks.fail('manifest/info consistency', `${mismatches.join('; ')}; make them equal`);
  else checks.pass('manifest/info consistency', 'name, version and supported_pids agree');
}

/** Checks the steps of getInfo(): indices 1..n in order, and the manifest's copy when present. */
export function checkSteps(checks: CheckList, manifest: Manifest, info: AlgorithmInfo): void {
  if (info.steps.length === 0) {
    checks.fail('step schemas', 'getInfo().steps is empty: declare at least one step (index 1) with its params');
    return;
  }
  const indices = info.steps.map((step) => step.index);
  const expected = indices.map((_, position) => position + 1);
  if (!isDeepStrictEqual(indices, expected)) {
    checks.fail('step schemas', `step indices are [${indices.join(', ')}]; expected [${expected.join(', ')}] (from 1, in order)`);
    return;
  }
  const params = info.steps.reduce((sum, step) => sum + step.params.length, 0);
  checks.pass('step schemas', `${info.steps.length} step(s), ${params} param(s), every schema valid`);
  if (manifest.steps !== undefined && !isDeepStrictEqual(manifest.steps, info.steps)) {
    checks.warn('step schemas', 'manifest.json "steps" differs from getInfo().steps; getInfo() is authoritative, update or drop the manifest copy');
  }
}
