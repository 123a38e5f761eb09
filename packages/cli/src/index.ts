/** @packageDocumentation The procvision command line: init, validate, run, package, and runner operations. */
export const packageName = '@procvision/cli';
