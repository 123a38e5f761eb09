import type { Manifest } from '@procvision/manifest';
import type { ImageFile } from '../read-image-file.js';
import type { StartedAlgorithm } from '../start-algorithm.js';
import { type StepCallResult, runStep } from '../step-run.js';
import { UsageError } from '../../usage-error.js';
import type { CheckList } from './check-list.js';
import { smokeParams } from './smoke-params.js';

const smokeSize = { width: 640, height: 480 };

/** A mid-grey JPEG (the platform's default frame encoding) for the smoke calls. */
export async function generatedImage(): Promise<ImageFile> {
  const { default: sharp } = await import('sharp');
  const bytes = await sharp({ create: { ...smokeSize, channels: 3, background: { r: 128, g: 128, b: 128 } } })
    .jpeg()
    .toBuffer();
  return { path: '<generated 640x480 grey JPEG>', bytes, encoding: 'jpeg', format: 'jpeg', ...smokeSize };
}

/**
 * Runs `pre` and `execute` of every step on a generated image for the first PID and checks each
 * result against the result rules: a rule violation or a runner failure (timeout, crash) fails,
 * an ERROR the algorithm returned on purpose is a warning (a grey frame may fail calibration).
 */
export async function checkSmokeRuns(checks: CheckList, algorithm: StartedAlgorithm, manifest: Manifest): Promise<void> {
  const image = await generatedImage();
  const pid = manifest.supported_pids[0] ?? '';
  for (const step of algorithm.info.steps) {
    const label = `step ${step.index} (${step.name})`;
    let run: Awaited<ReturnType<typeof runStep>>;
    try {
      run = await runStep(algorithm, { pid, step: step.index, userParams: smokeParams(step, image), image, example: '' });
    } catch (error) {
      if (!UsageError.isInstance(error)) throw error;
      checks.fail(`smoke preExecute ${label}`, `could not build valid params from the step schema: ${error.message}`);
      continue;
    }
    judge(checks, `smoke preExecute ${label}`, run.preExecute, pid);
    if (run.execute === undefined) checks.warn(`smoke execute ${label}`, 'not called: preExecute returned ERROR');
    else judge(checks, `smoke execute ${label}`, run.execute, pid);
  }
}

function judge(checks: CheckList, name: string, call: StepCallResult<unknown>, pid: string): void {
  const result = call.result as { status?: string; message?: string; error_code?: string; data?: { result_status?: string } };
  if (call.source === 'runner') {
    checks.fail(name, `the call failed in the runner (${result.error_code ?? ''}): ${result.message ?? ''}`);
    return;
  }
  if (call.violations.length > 0) {
    checks.fail(name, `the result breaks the result rules: ${call.violations.join('; ')}`);
    return;
  }
  for (const warning of call.warnings) checks.warn(name, warning);
  if (result.status !== 'OK') {
    checks.warn(name, `returned ERROR ${result.error_code ?? ''} on a generated grey image for PID ${pid}: ${result.message ?? ''}`);
    return;
  }
  const verdict = result.data?.result_status === undefined ? '' : `, verdict ${result.data.result_status}`;
  checks.pass(name, `status OK${verdict} in ${call.latencyMs} ms, result valid`);
}
