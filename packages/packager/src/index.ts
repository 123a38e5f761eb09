/** @packageDocumentation Build, verify, sign and safely extract ProcVision offline delivery zips. */
export const packageName = '@procvision/packager';
