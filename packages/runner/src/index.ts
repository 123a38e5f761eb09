/**
 * @packageDocumentation
 * The ProcVision platform side: algorithm process supervision (handshake, heartbeat,
 * timeouts, retries, restarts), inspections (sessions and steps through shared memory),
 * events and logs.
 */
export { AlgorithmProcess } from './algorithm-process.js';
export type { AlgorithmProcessOptions } from './algorithm-process.js';
export type { CallOutcome, FailureReason } from './call-outcome.js';
export type { FaultReason, ProcessRef, ProcessState, RunnerEvents, RunnerEventName } from './events.js';
export { TypedEmitter } from './internal/typed-emitter.js';
export { createStderrLogger, silentLogger, logLevels } from './logger.js';
export type { LogEntry, LogLevel, RunnerLogger } from './logger.js';
export { adapterEnvironment, inheritedEnvironmentKeys } from './spawn-adapter.js';
export type { AdapterCommand } from './spawn-adapter.js';
export { RestartPolicy } from './restart-policy.js';
export type { RestartDecision, RestartPolicyOptions } from './restart-policy.js';
export { terminateProcess, killProcess } from './kill-process.js';
export type { ExitInfo, TerminateOptions } from './kill-process.js';
export { Runner } from './runner.js';
export type { RunnerOptions } from './runner.js';
export { InspectionSession } from './session.js';
export type { InspectionSessionInit } from './session.js';
export { runStep } from './inspection.js';
export type { StepContext } from './inspection.js';
export type { StepOutcome, StepRequest, StepStage } from './step-outcome.js';
export { nodeAdapterCommand, pythonAdapterCommand, resolvePackageSpec } from './package-spec.js';
export type { PackageSpec, ResolvedPackageSpec } from './package-spec.js';
