/** @packageDocumentation Write ProcVision inspection algorithms: BaseAlgorithm, Session, logger, diagnostics, typed errors, and the adapter that runs an algorithm in a child process. */
export const packageName = '@procvision/sdk';
