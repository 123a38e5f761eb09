/**
 * @packageDocumentation
 * `@procvision/manifest/limits`: the result limits of domain.md (defect count, message and
 * ng_reason lengths), without zod, for the adapter's start-up path and its hand-written quick
 * checks. The one home of these numbers.
 */
export { DEFAULT_MAX_DEFECTS, MAX_NG_REASON_LENGTH, MAX_RESULT_MESSAGE_LENGTH } from './result-limits.js';
