/**
 * @packageDocumentation
 * `@procvision/manifest/limits`: the result limits of domain.md (defect count, message and
 * ng_reason lengths) and the identity rules of a package (name form, semantic version, PID
 * counts), without zod, for the adapter's start-up path and its hand-written quick checks.
 * The one home of these facts; the schemas build on them.
 */
export { DEFAULT_MAX_DEFECTS, MAX_NG_REASON_LENGTH, MAX_RESULT_MESSAGE_LENGTH } from './result-limits.js';
export { MAX_PACKAGE_NAME_LENGTH, MAX_SUPPORTED_PIDS, PACKAGE_NAME_PATTERN, SEMVER_PATTERN, SUPPORTED_PIDS_WARNING_LIMIT } from './identity-rules.js';
