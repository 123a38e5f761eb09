import type { AlgorithmInfo } from '@procvision/manifest';
import { isPlainRecord } from './quick-call-check.js';

const namePattern = /^[a-z0-9_-]+$/;
const semverPattern =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
/** Above this many PIDs the schema adds a warning: leave those to it. */
const quietPidLimit = 20;

/**
 * A hand-written check of the common `getInfo()` result, so the adapter starts without zod:
 * steps without params, a semantic version, at most 20 unique PIDs. It accepts a strict
 * subset of what `parseAlgorithmInfo` accepts and builds the same value (known keys only,
 * `params: []`); anything else returns `undefined` and the schema decides, words the error and
 * the warnings. test/quick-checks.test.ts compares both.
 */
export function quickAlgorithmInfo(value: unknown): AlgorithmInfo | undefined {
  if (!isPlainRecord(value)) return undefined;
  const { name, version, description, supported_pids: pids, steps } = value;
  if (typeof name !== 'string' || name.length > 214 || !namePattern.test(name)) return undefined;
  if (typeof version !== 'string' || !semverPattern.test(version)) return undefined;
  if (description !== undefined && typeof description !== 'string') return undefined;
  if (!Array.isArray(pids) || pids.length === 0 || pids.length > quietPidLimit) return undefined;
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
    if (params !== undefined && !(Array.isArray(params) && params.length === 0)) return undefined;
    quickSteps.push(
      stepDescription === undefined ? { index, name: stepName, params: [] } : { index, name: stepName, description: stepDescription, params: [] },
    );
  }
  const info: AlgorithmInfo = { name, version, supported_pids: [...(pids as string[])], steps: quickSteps };
  if (description !== undefined) info.description = description;
  return info;
}
