export { checkCallerFile, openCallerFile, readCallerFile } from './read-caller-file.js';
export type { CallerFileOptions, OpenedCallerFile } from './read-caller-file.js';
export { CallerFileError } from './caller-file-error.js';
export type { CallerFileProblem } from './caller-file-error.js';
export { fileKindOf } from './file-kind.js';
export type { FileKind } from './file-kind.js';
