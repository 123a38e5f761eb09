/**
 * @packageDocumentation
 * Write ProcVision inspection algorithms: BaseAlgorithm, Session, logger, diagnostics, typed
 * errors, and the adapter that runs an algorithm in a child process.
 */
export { BaseAlgorithm } from './base-algorithm.js';
export type { MaybePromise, StepArguments, StepContext, StepPhase, StepResult } from './base-algorithm.js';
export { Session } from './session.js';
export type { JsonValue, SessionInit } from './session.js';
export { createLogger } from './logger.js';
export type { Logger, LoggerOptions, LogFields, LogLevel } from './logger.js';
export { Diagnostics } from './diagnostics.js';
export { RecoverableError } from './errors/recoverable-error.js';
export { FatalError } from './errors/fatal-error.js';
export { GPUOutOfMemoryError } from './errors/gpu-out-of-memory-error.js';
export { ProgramError } from './errors/program-error.js';
export { adapterBinPath } from './adapter-path.js';
export { ErrorCodes, ProcVisionError } from '@procvision/manifest/errors';
export { ImageLoadError, readFrame, readImage } from '@procvision/shm/read';
export type { FrameView, RgbImage } from '@procvision/shm/read';
export type { AlgorithmInfo, ErrorCode, ExecuteResult, ImageMeta, ParamSpec, PreExecuteResult, Rect, StepSpec } from '@procvision/manifest';
