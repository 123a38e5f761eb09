import { type ErrorCode, errorCodes, isErrorCode, ProcVisionError, ErrorCodes } from '@procvision/manifest';
import { asDiskCondition, diskErrno, isDiskCondition } from '../internal/disk-condition.js';

/** Codes of errors that belong to HTTP itself rather than to the ProcVision error table. */
export type HttpErrorCode = 'not_found' | 'method_not_allowed' | 'payload_too_large' | 'unsupported_media_type' | 'not_ready' | 'shutting_down';

const httpErrorStatus: Record<HttpErrorCode, number> = {
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
  not_ready: 503,
  shutting_down: 503,
};

/**
 * The HTTP status of each ProcVision error code: what the client sent is wrong (400/422),
 * what it asks conflicts with the store (409), the algorithm or the runner failed (500/503/504).
 */
export const httpStatusOfErrorCode: Readonly<Record<ErrorCode, number>> = {
  [ErrorCodes.adapterRejectedCall]: 500,
  [ErrorCodes.invalidPid]: 422,
  [ErrorCodes.imageLoadFailed]: 422,
  [ErrorCodes.modelNotFound]: 500,
  [ErrorCodes.gpuOom]: 503,
  [ErrorCodes.timeout]: 504,
  [ErrorCodes.invalidParams]: 400,
  [ErrorCodes.coordinateInvalid]: 422,
  [ErrorCodes.algorithmException]: 500,
  [ErrorCodes.stdoutContaminated]: 500,
  [ErrorCodes.entryPointNotFound]: 500,
  [ErrorCodes.memoryLimitExceeded]: 503,
  [ErrorCodes.unknownError]: 500,
  [ErrorCodes.invalidZip]: 422,
  [ErrorCodes.manifestMissing]: 422,
  [ErrorCodes.incompatibleRuntime]: 422,
  [ErrorCodes.dependenciesMissing]: 422,
  [ErrorCodes.installFailed]: 500,
  [ErrorCodes.activationConflict]: 409,
  [ErrorCodes.unsafeUninstall]: 409,
  [ErrorCodes.signatureInvalid]: 422,
  [ErrorCodes.packageNotInstalled]: 404,
  [ErrorCodes.alreadyInstalled]: 409,
  [ErrorCodes.pythonManifestInvalid]: 422,
  [ErrorCodes.pythonInterpreterMismatch]: 422,
  [ErrorCodes.pythonRequirementsInvalid]: 422,
  [ErrorCodes.pythonRequirementUnsatisfied]: 422,
  [ErrorCodes.pythonWheelIncompatible]: 422,
  [ErrorCodes.pythonSourceDistribution]: 422,
  [ErrorCodes.pythonInterpreterUnavailable]: 500,
  [ErrorCodes.pythonInstallFailed]: 500,
  [ErrorCodes.pythonEntryImportFailed]: 422,
  [ErrorCodes.unauthorized]: 401,
  [ErrorCodes.exposureRefused]: 500,
  [ErrorCodes.pathNotAllowed]: 403,
  [ErrorCodes.notARegularFile]: 422,
  [ErrorCodes.fileTooLarge]: 413,
  [ErrorCodes.tooManySessions]: 429,
  [ErrorCodes.jsonTooComplex]: 422,
  [ErrorCodes.imageTooLarge]: 422,
  [ErrorCodes.serviceBusy]: 503,
  [ErrorCodes.fleetFileInvalid]: 400,
  [ErrorCodes.stationFailed]: 502,
  [ErrorCodes.canaryFailed]: 502,
};

/**
 * Headers an error of a code carries: `WWW-Authenticate` on 401, `Retry-After` (seconds, from
 * `details.retry_after_s`) on 429/503 that a client may retry.
 */
function headersOfError(code: ErrorCode, details: Record<string, unknown> | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (code === ErrorCodes.unauthorized) headers['www-authenticate'] = 'Bearer realm="procvision-runner"';
  const retryAfter = details?.retry_after_s;
  if (typeof retryAfter === 'number' && Number.isFinite(retryAfter)) headers['retry-after'] = String(Math.max(1, Math.ceil(retryAfter)));
  return headers;
}

/** An error of the HTTP layer (unknown route, wrong method, body too large...). */
export class HttpError extends Error {
  /** The HTTP status sent. */
  readonly status: number;
  /** Extra response headers (e.g. `Allow` for 405). */
  readonly headers: Readonly<Record<string, string>>;
  /** Machine-readable context. */
  readonly details: Record<string, unknown> | undefined;

  constructor(
    readonly code: HttpErrorCode,
    message: string,
    options: { headers?: Record<string, string>; details?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = 'HttpError';
    this.status = httpErrorStatus[code];
    this.headers = options.headers ?? {};
    this.details = options.details;
  }
}

/** The JSON body of every error response. */
export interface ErrorBody {
  error: {
    /** A ProcVision error code (`"2006"`) or an HTTP-layer code (`"not_found"`). */
    code: ErrorCode | HttpErrorCode;
    /** The symbolic name (`"activation_conflict"`); equals `code` for HTTP-layer codes. */
    name: string;
    message: string;
    details?: Record<string, unknown>;
  };
}

/** A response ready to send for a failure: status, headers and the JSON body. */
export interface ErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: ErrorBody;
}

/** Builds the error body of a ProcVision code. */
function errorBody(code: ErrorCode, message: string, details?: Record<string, unknown>): ErrorBody {
  return { error: { code, name: errorCodes[code].name, message, ...(details === undefined ? {} : { details }) } };
}

/**
 * Maps anything thrown by a route to a response: {@link HttpError} keeps its status,
 * ProcVisionError (and anything carrying a table `code`) maps through
 * {@link httpStatusOfErrorCode}, a disk condition (ENOSPC, EDQUOT, EFBIG, EROFS, also as a
 * cause) is 507 with code 2005 naming the disk's role, anything else is a 500 with code 9999.
 */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof HttpError) {
    const details = error.details === undefined ? {} : { details: error.details };
    return { status: error.status, headers: { ...error.headers }, body: { error: { code: error.code, name: error.code, message: error.message, ...details } } };
  }
  // A full or read-only disk is the station's condition, not a server bug: 507 with 2005 naming the disk's role.
  const disk = isDiskCondition(error) ? error : diskErrno(error) === undefined ? undefined : asDiskCondition(error, 'temp', '<tmp>');
  if (disk !== undefined && ProcVisionError.isInstance(disk)) {
    return { status: 507, headers: {}, body: errorBody(disk.code, disk.message, disk.details) };
  }
  const code = ProcVisionError.isInstance(error) || hasTableCode(error) ? (error as { code: ErrorCode }).code : ErrorCodes.unknownError;
  const message = error instanceof Error ? error.message : String(error);
  const details = ProcVisionError.isInstance(error) ? error.details : undefined;
  return { status: httpStatusOfErrorCode[code], headers: headersOfError(code, details), body: errorBody(code, message, details) };
}

function hasTableCode(error: unknown): boolean {
  return typeof error === 'object' && error !== null && isErrorCode((error as { code?: unknown }).code);
}
