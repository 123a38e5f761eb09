import { z } from 'zod';

import { MAX_PACKAGE_NAME_LENGTH, MAX_SUPPORTED_PIDS, PACKAGE_NAME_PATTERN, SEMVER_PATTERN, SUPPORTED_PIDS_WARNING_LIMIT } from './identity-rules.js';

export { MAX_SUPPORTED_PIDS, SUPPORTED_PIDS_WARNING_LIMIT } from './identity-rules.js';

const legacyVersionPattern = /^(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/** An algorithm package name: lowercase letters, digits, `_` and `-`. */
export const packageNameSchema = z
  .string()
  .regex(PACKAGE_NAME_PATTERN, {
    message: 'expected lowercase letters, digits, "_" and "-" only (e.g. "screw_detector")',
  })
  .max(MAX_PACKAGE_NAME_LENGTH);

/** True for the legacy two-part version form (`1.0`) that older packages write. */
export function isLegacyVersion(version: string): boolean {
  return legacyVersionPattern.test(version);
}

/** A semantic version (`1.2.0`), or the legacy `1.0` form (accepted, reported as a warning). */
export const packageVersionSchema = z
  .string()
  .regex(new RegExp(`${SEMVER_PATTERN.source}|${legacyVersionPattern.source}`), { message: 'expected a semantic version such as "1.2.0"' });

/** A product id (PID). */
export const pidSchema = z.string().min(1);

/** 1 to 50 unique PIDs. */
export const supportedPidsSchema = z
  .array(pidSchema)
  .min(1)
  .max(MAX_SUPPORTED_PIDS)
  .superRefine((pids, ctx) => {
    const seen = new Set<string>();
    pids.forEach((pid, index) => {
      if (seen.has(pid)) ctx.addIssue({ code: 'custom', path: [index], message: `duplicate pid ${JSON.stringify(pid)}; every pid must be listed once` });
      seen.add(pid);
    });
  });

/** Warnings shared by manifest.json and getInfo(): legacy version, many PIDs. */
export function identityWarnings(value: { version: string; supported_pids: readonly string[] }): string[] {
  const warnings: string[] = [];
  if (isLegacyVersion(value.version)) {
    warnings.push(`version: "${value.version}" is the legacy two-part form; write a semantic version such as "${value.version}.0"`);
  }
  if (value.supported_pids.length > SUPPORTED_PIDS_WARNING_LIMIT) {
    warnings.push(
      `supported_pids: ${value.supported_pids.length} pids listed; more than ${SUPPORTED_PIDS_WARNING_LIMIT} is discouraged (at most ${MAX_SUPPORTED_PIDS})`,
    );
  }
  return warnings;
}
