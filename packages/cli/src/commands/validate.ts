import { existsSync } from 'node:fs';
import { ProcVisionError, parseEntryPoint } from '@procvision/manifest';
import { ExitCodes } from '../exit-codes.js';
import type { Output } from '../output.js';
import { UsageError } from '../usage-error.js';
import { checkCallerPath } from '../internal/read-caller-path.js';
import { locateManifest, readJsonFile } from '../internal/load-project.js';
import { prepareProject } from '../internal/prepare-project.js';
import { resolveSignaturePolicy, type SignatureFlags, type SignaturePolicy } from '../internal/signature/signature-policy.js';
import { type StartedAlgorithm, startAlgorithm } from '../internal/start-algorithm.js';
import { CheckList, formatValidateReport } from '../internal/validate/check-list.js';
import { checkAssets, checkManifest } from '../internal/validate/manifest-checks.js';
import { checkInfoConsistency, checkStartupFailure, checkSteps } from '../internal/validate/runtime-checks.js';
import { checkSmokeRuns } from '../internal/validate/smoke-checks.js';
import { checkDeliveryZip } from '../internal/validate/zip-checks.js';
import { describeTypeErrors, typecheckProject } from '../internal/typecheck-project.js';

/** Options of `procvision validate` (the signature flags apply to `--zip`). */
export interface ValidateOptions extends SignatureFlags {
  manifest?: string;
  zip?: string;
  /** The station's interpreter a Python SDK zip is checked against (default `python3`). */
  python?: string;
}

/**
 * `procvision validate [project] [--manifest] [--zip]`: every check of docs/cli.md through the real
 * adapter in a child process. Exit 0 when no check failed, 1 otherwise, 2 without a manifest.
 */
export async function validateCommand(project: string | undefined, options: ValidateOptions, output: Output): Promise<number> {
  const checks = new CheckList();
  const policy = await zipSignaturePolicy(options);
  if (options.zip !== undefined && existsSync(options.zip)) {
    const { callerFileLimits } = await import('@procvision/runner');
    await checkCallerPath(options.zip, {
      field: '--zip',
      maxBytes: callerFileLimits.zipBytes,
      hint: 'pass a delivery zip file',
      example: 'procvision validate --zip screw-check-v1.0.0-linux-x64-glibc-offline.zip',
    });
  }
  const zipOnly = project === undefined && options.zip !== undefined && options.manifest === undefined && !existsSync('manifest.json');
  if (!zipOnly) await validateProject(checks, project ?? '.', options, output);
  if (options.zip !== undefined) {
    output.progress('verifying the zip...');
    await checkDeliveryZip(checks, options.zip, policy, options.python ?? 'python3');
  }
  const report = checks.report();
  output.result(report, () => formatValidateReport(report, output.colour));
  return report.summary.status === 'PASS' ? ExitCodes.success : ExitCodes.failure;
}

/** The signature policy of `--zip`; the signature flags without `--zip` are a usage error, not ignored. */
async function zipSignaturePolicy(options: ValidateOptions): Promise<SignaturePolicy> {
  const example = 'procvision validate --zip screw-check-v1.0.0-linux-x64-glibc-offline.zip --trusted-key vendor-a.pub.pem --require-signature';
  if (options.zip === undefined && (options.trustedKey !== undefined || options.requireSignature === true)) {
    throw new UsageError('--trusted-key and --require-signature check the signature of a delivery zip: add --zip <zip>', { example });
  }
  return resolveSignaturePolicy(options, example);
}

async function validateProject(checks: CheckList, project: string, options: ValidateOptions, output: Output): Promise<void> {
  const { root, path } = locateManifest(project, 'validate', options.manifest);
  const json = await readJsonFile(path);
  if (!json.ok) {
    checks.fail('manifest fields', json.message);
    return;
  }
  const manifest = checkManifest(checks, json.value, path);
  if (manifest === undefined) return;
  checkAssets(checks, root, manifest);
  const entry = parseEntryPoint(manifest.entry_point);
  try {
    const build = await prepareProject({ root, entry }, output);
    checks.pass(
      'build',
      build.compiled
        ? `compiled ${build.source} to ${entry.modulePath} in ${build.durationMs} ms`
        : `no TypeScript source for ${entry.modulePath}; using it as it is`,
    );
  } catch (error) {
    if (!UsageError.isInstance(error)) throw error;
    checks.fail('build', error.message);
    return;
  }
  output.progress('type-checking...');
  const types = await typecheckProject(root);
  if (!types.checked) checks.pass('types', `not checked: ${types.reason}`);
  else if (types.errors.length === 0) checks.pass('types', `tsc --noEmit: no type errors (${types.durationMs} ms)`);
  else checks.fail('types', `tsc --noEmit: ${types.errors.length} type error(s): ${describeTypeErrors(types.errors)}`);
  output.progress(`starting ${manifest.name} through the adapter...`);
  let algorithm: StartedAlgorithm;
  try {
    algorithm = await startAlgorithm({ root, name: manifest.name, version: manifest.version, output, env: { PROC_ENTRY_POINT: manifest.entry_point } });
  } catch (error) {
    if (!ProcVisionError.isInstance(error)) throw error;
    checkStartupFailure(checks, error.message, entry.exportName);
    return;
  }
  try {
    checks.pass('entry import', `${entry.modulePath} loads in the adapter (started in ${algorithm.startupMs} ms)`);
    checks.pass('extends BaseAlgorithm', `${entry.exportName} implements getInfo, preExecute, execute`);
    checks.pass('getInfo() shape', `${algorithm.info.name} ${algorithm.info.version}, ${algorithm.info.steps.length} step(s)`);
    checkInfoConsistency(checks, manifest, algorithm.info);
    checkSteps(checks, manifest, algorithm.info);
    if (!checks.failed('step schemas')) {
      output.progress('smoke run...');
      await checkSmokeRuns(checks, algorithm, manifest);
    }
  } finally {
    await algorithm.close();
  }
}
