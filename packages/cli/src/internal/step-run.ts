import { randomUUID } from 'node:crypto';
import type { StepOutcome } from '@procvision/runner';
import type { GuideInputs } from './guide-options.js';
import type { ImageFile } from './read-image-file.js';
import type { StartedAlgorithm } from './start-algorithm.js';
import { UsageError } from '../usage-error.js';
import { type ErrorCode, ErrorCodes, validateUserParams } from '@procvision/manifest';

/** One step to run: PID, step index, user params (unvalidated), the image. */
interface StepRequest {
  pid: string;
  step: number;
  userParams: Record<string, unknown>;
  image: ImageFile;
  /** Guide image, guide info and step description (Python v0.3 algorithms). */
  guide?: GuideInputs;
  /** Example command line for usage errors. */
  example: string;
}

/** What {@link runProjectStep} returns: the runner's outcome and the latency of each call. */
export interface StepRun {
  outcome: StepOutcome;
  /** The params the algorithm received (the step schema's defaults filled in), null when they did not validate. */
  effectiveParams: Record<string, unknown> | null;
  timings: { pre_execute_ms?: number; execute_ms?: number; step_ms: number };
}

const inputCodes = new Set<ErrorCode>([ErrorCodes.invalidPid, ErrorCodes.invalidParams, ErrorCodes.coordinateInvalid]);

/**
 * Runs one step through the runner, in a session of its own: the runner validates the params
 * against the step schema (1006/1007 become usage errors, like an unknown PID or step), writes
 * the image to shared memory, calls `pre` then `execute` and checks both results.
 */
export async function runProjectStep(algorithm: StartedAlgorithm, request: StepRequest): Promise<StepRun> {
  const { runner } = algorithm;
  const session = runner.createSession({ packageName: algorithm.name, pid: request.pid, context: { product_code: request.pid, trace_id: randomUUID() } });
  const latencies: Record<string, number> = {};
  const stopListening = runner.on('call-end', (event) => {
    latencies[event.phase] = round(event.latencyMs);
  });
  let outcome: StepOutcome;
  try {
    outcome = await runner.runStep(session.id, {
      stepIndex: request.step,
      userParams: request.userParams,
      frame: frameOf(request.image),
      ...(request.guide?.guideImage ? { guideFrame: frameOf(request.guide.guideImage) } : {}),
      ...(request.guide?.guideInfo === undefined ? {} : { guideInfo: request.guide.guideInfo }),
      ...(request.guide?.stepDesc === undefined ? {} : { stepDesc: request.guide.stepDesc }),
    });
  } finally {
    stopListening();
    runner.endSession(session.id);
  }
  if (outcome.status === 'ERROR' && outcome.stage === 'validate' && outcome.errorCode !== undefined && inputCodes.has(outcome.errorCode)) {
    throw new UsageError(`${outcome.message} (${outcome.errorCode})`, { code: outcome.errorCode, example: request.example });
  }
  const timings = {
    ...(latencies['pre'] === undefined ? {} : { pre_execute_ms: latencies['pre'] }),
    ...(latencies['execute'] === undefined ? {} : { execute_ms: latencies['execute'] }),
    step_ms: round(outcome.latencyMs),
  };
  const spec = algorithm.info.steps.find((step) => step.index === request.step);
  const checked = spec === undefined ? undefined : validateUserParams(spec, request.userParams, request.image);
  return { outcome, effectiveParams: checked?.ok === true ? checked.params : null, timings };
}

function frameOf(image: ImageFile) {
  return { encoding: image.encoding, bytes: image.bytes, width: image.width, height: image.height, cameraId: 'procvision-cli', timestampMs: Date.now() };
}

function round(milliseconds: number): number {
  return Math.round(milliseconds * 10) / 10;
}
