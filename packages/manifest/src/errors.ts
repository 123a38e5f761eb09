/**
 * @packageDocumentation
 * `@procvision/manifest/errors`: the error-code table and `ProcVisionError`, without zod.
 * For code on a start-up path (an adapter's main thread, the shm reader) that must not pay
 * for loading the schemas.
 */
export { errorCodes, ErrorCodes, retryableErrorCodes, isErrorCode } from './error-codes.js';
export type { ErrorCode, ErrorCodeName, NamedErrorCodes } from './error-codes.js';
export { ProcVisionError } from './procvision-error.js';
export type { ProcVisionErrorClass, ProcVisionErrorJson, ProcVisionErrorOptions } from './procvision-error.js';
