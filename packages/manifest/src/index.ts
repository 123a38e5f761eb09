/**
 * @packageDocumentation
 * Every ProcVision file and wire contract as zod schemas, with inferred types.
 */
export { errorCodes, ErrorCodes, retryableErrorCodes, isErrorCode } from './error-codes.js';
export type { ErrorCode, ErrorCodeName } from './error-codes.js';
export { ProcVisionError } from './procvision-error.js';
export type { ProcVisionErrorJson, ProcVisionErrorOptions } from './procvision-error.js';
export { DEFAULT_MAX_FRAME_BYTES, FrameDecoder, FrameError, encodeFrame } from './frame-codec.js';
export type { FrameDecoderOptions, FrameErrorReason } from './frame-codec.js';
