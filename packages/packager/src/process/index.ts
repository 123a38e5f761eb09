/**
 * @packageDocumentation The one way the toolkit runs child processes: spawn, collect, report
 * (timeout, process group, stop on exit), the npm environment and the process-group kill.
 * Used by the packager, the runner's store and the runner's engine.
 */
export { runProcess } from './run-process.js';
export type { ProcessOutput, RunProcessOptions } from './run-process.js';
export { runNpm } from './run-npm.js';
export type { RunNpmOptions } from './run-npm.js';
export { npmEnvironment, deadRegistry } from './npm-environment.js';
export type { NpmEnvironmentOptions, NpmNetwork } from './npm-environment.js';
export { locateNpmCli, npmCliPath } from './npm-cli-path.js';
export type { NpmCliLocation, NpmCliSource } from './npm-cli-path.js';
export { signalProcessTree } from './signal-process-tree.js';
export type { SignalProcessTreeOptions } from './signal-process-tree.js';
