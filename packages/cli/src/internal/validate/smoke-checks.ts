import type { Manifest } from '@procvision/manifest';
import type { StepOutcome } from '@procvision/runner';
import type { ImageFile } from '../read-image-file.js';
import type { StartedAlgorithm } from '../start-algorithm.js';
import { runProjectStep } from '../step-run.js';
import { UsageError } from '../../usage-error.js';
import type { CheckList } from './check-list.js';
import { smokeParams } from './smoke-params.js';
import { ErrorCodes } from '@procvision/manifest';

const smokeSize = { width: 640, height: 480 };

/** A mid-grey JPEG (the platform's default frame encoding) for the smoke calls. */
async function generatedImage(): Promise<ImageFile> {
  const { default: sharp } = await import('sharp');
  const bytes = await sharp({ create: { ...smokeSize, channels: 3, background: { r: 128, g: 128, b: 128 } } })
    .jpeg()
    .toBuffer();
  return { path: '<generated 640x480 grey JPEG>', bytes, encoding: 'jpeg', format: 'jpeg', ...smokeSize };
}

/**
 * Runs every step (`pre` then `execute`) through the runner on a generated image for the
 * first PID. The runner checks each result against the result rules: an invalid result or a
 * runner failure (timeout, crash: 1005) fails, and so does an error `preExecute`/`execute`
 * threw (named with its stack, mapped to `src/...ts:line:col`); an ERROR the algorithm returned
 * on purpose is a warning (a grey frame may well fail calibration).
 */
export async function checkSmokeRuns(checks: CheckList, algorithm: StartedAlgorithm, manifest: Manifest): Promise<void> {
  const image = await generatedImage();
  const pid = manifest.supported_pids[0] ?? '';
  for (const step of algorithm.info.steps) {
    const label = `step ${step.index} (${step.name})`;
    let run: Awaited<ReturnType<typeof runProjectStep>>;
    algorithm.thrown.length = 0;
    try {
      run = await runProjectStep(algorithm, { pid, step: step.index, userParams: smokeParams(step, image), image, example: '' });
    } catch (error) {
      if (!UsageError.isInstance(error)) throw error;
      checks.fail(`smoke run ${label}`, `the runner refused the generated params or PID ${pid}: ${error.message}`);
      continue;
    }
    const crash = await algorithm.thrownIn(run.outcome);
    judge(checks, label, run.outcome, run.timings, crash);
  }
}

function judge(
  checks: CheckList,
  label: string,
  outcome: StepOutcome,
  timings: { pre_execute_ms?: number; execute_ms?: number },
  crash: string | undefined,
): void {
  const preName = `smoke preExecute ${label}`;
  const executeName = `smoke execute ${label}`;
  for (const warning of outcome.warnings) checks.warn(executeName, warning);
  if (outcome.status === 'OK') {
    checks.pass(preName, `status OK in ${timings.pre_execute_ms ?? '?'} ms, result valid`);
    checks.pass(executeName, `status OK, verdict ${outcome.resultStatus ?? '?'} in ${timings.execute_ms ?? '?'} ms, result valid`);
    return;
  }
  const name = outcome.stage === 'execute' ? executeName : preName;
  if (outcome.stage === 'execute') checks.pass(preName, `status OK in ${timings.pre_execute_ms ?? '?'} ms, result valid`);
  const broken = outcome.errorCode === ErrorCodes.timeout || /returned an invalid result/.test(outcome.message) || outcome.stage === 'frame';
  if (crash !== undefined)
    checks.fail(name, `threw on a generated grey image (return an ERROR result on purpose instead): ${crash.replace(/^\w+\(\) threw: /, '')}`);
  else if (broken) checks.fail(name, `${outcome.message} (${outcome.errorCode ?? '?'})`);
  else checks.warn(name, `returned ERROR ${outcome.errorCode ?? ''} on a generated grey image: ${outcome.message}`);
  if (outcome.stage === 'pre') checks.warn(executeName, 'not called: preExecute did not return OK');
}
