import { isErrorCode, ProcVisionError, ErrorCodes } from '@procvision/manifest';
import { UsageError } from '../../usage-error.js';

/**
 * Runs one remote call; a RunnerClientError becomes an error the CLI prints with its code:
 * exit 2 when the station says the input was bad (400/404/409/413/415/422), else exit 1 with
 * the station's code (3001 unauthorized...) or 3051 when it did not answer.
 */
export async function remoteCall<Result>(work: () => Promise<Result>, example: string): Promise<Result> {
  try {
    return await work();
  } catch (error) {
    const known = error as { name?: string; status?: number; code?: string; message: string };
    if (known.name !== 'RunnerClientError') throw error;
    const status = known.status ?? 0;
    if ([400, 404, 409, 413, 415, 422].includes(status))
      throw new UsageError(known.message, { example, ...(isErrorCode(known.code) ? { code: known.code } : {}), cause: error });
    throw new ProcVisionError(status !== 0 && isErrorCode(known.code) ? known.code : ErrorCodes.stationFailed, known.message, { cause: error });
  }
}
