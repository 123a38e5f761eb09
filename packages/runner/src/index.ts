/**
 * @packageDocumentation
 * The ProcVision runner engine: algorithm process supervision (handshake, heartbeat,
 * timeouts, retries, restarts), inspections (sessions and steps through shared memory),
 * events and logs. The package store is `@procvision/runner/store`, the HTTP service
 * `@procvision/runner/http`.
 */
export { AlgorithmProcess } from './process/algorithm-process.js';
export type { AlgorithmProcessOptions } from './process/algorithm-process.js';
export type { CallOutcome, FailureReason } from './process/call-outcome.js';
export type { FaultReason, ProcessIdentity, ProcessState, RunnerEvents, RunnerEventName } from './process/events.js';
export { createStderrLogger, silentLogger, logLevels } from './logger.js';
export type { LogEntry, LogLevel, RunnerLogger } from './logger.js';
export type { AdapterCommand } from './process/spawn-adapter.js';
export type { TypedEmitter } from './process/internal/typed-emitter.js';
export { Runner } from './process/runner.js';
export type { OpenSessionInit, RunnerOptions, RunnerProcessSource } from './process/runner.js';
export type { InspectionSession } from './process/session.js';
export type { InspectionSessionInit } from './process/session.js';
export type { StepOutcome, StepRequest, StepStage } from './process/step-outcome.js';
export type { ObservedStep, StepObserver } from './process/step-observer.js';
export { nodeAdapterCommand } from './process/package-spec.js';
export type { PackageSpec } from './process/package-spec.js';
export { pythonAdapterLaunch } from './process/python-adapter-launch.js';
export type { PythonAdapterLaunch, PythonAdapterLaunchOptions } from './process/python-adapter-launch.js';
export type { GuidedExecuteCallData } from './process/guided-call-data.js';
export { callerFileLimits, checkCallerFile, readCallerFile, CallerFileError } from './caller-file/index.js';
export type { CallerFileOptions, CallerFileProblem, FileKind } from './caller-file/index.js';
export { RunnerMetrics, runnerMetrics } from './process/runner-metrics.js';
export type { BindingsProvider, RunnerEventSource, RunnerMetricsOptions, TrackedProcess } from './process/runner-metrics.js';
export { confusionOf, latencySummary, matchRects, ngPrecisionRecall, verdictOf, verdicts } from './verdicts/verdict-comparison.js';
export type { ConfusionTable, RectMatch, Verdict } from './verdicts/verdict-comparison.js';
