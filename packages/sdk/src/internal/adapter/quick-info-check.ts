import type { AlgorithmInfo } from '@procvision/manifest';
import { MAX_PACKAGE_NAME_LENGTH, PACKAGE_NAME_PATTERN, SEMVER_PATTERN, SUPPORTED_PIDS_WARNING_LIMIT } from '@procvision/manifest/limits';
import { isPlainRecord } from './quick-call-check.js';
import { quickParamSpecs } from './quick-param-check.js';

/**
 * A hand-written check of the common `getInfo()` result, so the adapter starts without zod:
 * plainly valid step params ({@link quickParamSpecs}), a semantic version, at most
 * `SUPPORTED_PIDS_WARNING_LIMIT` unique PIDs (above it the schema adds a warning). It accepts a
 * strict subset of what `parseAlgorithmInfo` accepts and builds the same value (known keys only); anything else returns `undefined` and the schema decides, words the error and
 * the warnings. test/quick-checks.test.ts compares both.
 */
export function quickAlgorithmInfo(value: unknown): AlgorithmInfo | undefined {
  if (!isPlainRecord(value)) return undefined;
  const { name, version, description, supported_pids: pids, steps } = value;
  if (typeof name !== 'string' || name.length > MAX_PACKAGE_NAME_LENGTH || !PACKAGE_NAME_PATTERN.test(name)) return undefined;
  if (typeof version !== 'string' || !SEMVER_PATTERN.test(version)) return undefined;
  if (description !== undefined && typeof description !== 'string') return undefined;
  if (!Array.isArray(pids) || pids.length === 0 || pids.length > SUPPORTED_PIDS_WARNING_LIMIT) return undefined;
  const seen = new Set<string>();
  for (const pid of pids as unknown[]) {
    if (typeof pid !== 'string' || pid.length === 0 || seen.has(pid)) return undefined;
    seen.add(pid);
  }
  if (!Array.isArray(steps)) return undefined;
  const quickSteps: AlgorithmInfo['steps'] = [];
  for (const [position, step] of (steps as unknown[]).entries()) {
    if (!isPlainRecord(step)) return undefined;
    const { index, name: stepName, description: stepDescription, params } = step;
    if (index !== position + 1 || typeof stepName !== 'string' || stepName.length === 0) return undefined;
    if (stepDescription !== undefined && typeof stepDescription !== 'string') return undefined;
    const specs = quickParamSpecs(params);
    if (specs === undefined) return undefined;
    quickSteps.push(
      stepDescription === undefined ? { index, name: stepName, params: specs } : { index, name: stepName, description: stepDescription, params: specs },
    );
  }
  const info: AlgorithmInfo = { name, version, supported_pids: [...(pids as string[])], steps: quickSteps };
  if (description !== undefined) info.description = description;
  return info;
}
