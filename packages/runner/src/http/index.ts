/**
 * @packageDocumentation
 * The ProcVision runner HTTP service: packages, sessions and steps over HTTP on top of the
 * runner engine and the package store.
 */
export { createRunnerService, defaultBodyLimits } from './create-runner-service.js';
export type { RunnerService, RunnerServiceOptions } from './create-runner-service.js';
export type { ServiceStore, ServicePackageRef, ServiceBinding } from './service-store.js';
export type { BodyLimits } from './service-limits.js';
export { defaultServiceLimits } from './service-limits.js';
export type { ServiceLimits } from './service-limits.js';
export { isLoopbackHost } from './exposure.js';
export type { PackageReadiness } from './process-source.js';
export { httpStatusOfErrorCode, HttpError } from './http-error.js';
export type { ErrorBody, HttpErrorCode } from './http-error.js';
export type { ReadinessReport } from './ready-check.js';
export type { StepResponseBody } from './step-response.js';
export { serveRunner } from './serve-runner.js';
export type { ServeRunnerOptions, ServedRunner } from './serve-runner.js';
export { checkServiceToken, minimumTokenLength, readTokenFile, watchTokenFile } from './service-token.js';
export type { TokenFile, TokenFileOptions, TokenSet } from './service-token.js';
