/**
 * @packageDocumentation `@procvision/packager/targets`: the platforms a delivery zip can target
 * (the one list the CLI offers), parsing and naming, without loading the zip machinery.
 */
export { currentTarget, deliveryZipName, formatTarget, parseTarget, supportedTargets } from '../target.js';
export type { PlatformTarget, SupportedTarget, TargetCpu, TargetLibc, TargetOs } from '../target.js';
