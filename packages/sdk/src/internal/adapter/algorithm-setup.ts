import { type ErrorCode, ProcVisionError, ErrorCodes } from '@procvision/manifest/errors';
import type { Logger } from '../../logger.js';
import { describe, loadAlgorithm } from './algorithm-loader.js';
import type { CallRunnerContext } from './call-runner.js';
import { loadContractChecks } from './contract-checks.js';
import { quickAlgorithmInfo } from './quick-info-check.js';

/** Where the algorithm is and the limits its calls run under. */
interface AlgorithmSetupRequest {
  /** Absolute package root. */
  root: string;
  /** Module path relative to the root. */
  modulePath: string;
  /** Export name of the algorithm class. */
  exportName: string;
  /** Most defect rects kept per execute result. */
  maxDefects: number;
}

/**
 * Imports and constructs the algorithm, runs `setup()`, reads and checks `getInfo()` (by hand
 * when plainly valid, else with the schema, which also words the warnings).
 *
 * @throws ProcVisionError 1003 for a missing module or export, the typed error's code when
 * `setup()` throws one, 9999 otherwise (including an invalid `getInfo()`).
 */
export async function setUpAlgorithm(request: AlgorithmSetupRequest, logger: Logger): Promise<CallRunnerContext> {
  const { exportName } = request;
  const algorithm = await loadAlgorithm(request.root, request.modulePath, exportName);
  try {
    await algorithm.setup?.();
  } catch (error) {
    const code = ProcVisionError.isInstance(error) ? error.code : ErrorCodes.unknownError;
    throw new ProcVisionError(code, `${exportName}.setup() failed: ${describe(error)}`, { cause: error });
  }
  const raw = await algorithm.getInfo();
  let info = quickAlgorithmInfo(raw);
  if (info === undefined) {
    const parsed = (await loadContractChecks()).parseAlgorithmInfo(raw, { source: `${exportName}.getInfo()` });
    for (const warning of parsed.warnings) logger.warn(warning);
    info = parsed.info;
  }
  // Steps with params check every call's user_params with the schema: load it once the info
  // reply is out (setImmediate runs after it), while the station waits for its first frame.
  if (info.steps.some((step) => step.params.length > 0)) setImmediate(() => void loadContractChecks().catch(() => undefined));
  return { algorithm, info, maxDefects: request.maxDefects, logger };
}

/** The code and message a failed {@link setUpAlgorithm} reports. */
export function setupFailure(error: unknown): { code: ErrorCode; message: string } {
  if (ProcVisionError.isInstance(error)) return { code: error.code, message: error.message };
  return { code: ErrorCodes.unknownError, message: describe(error) };
}
