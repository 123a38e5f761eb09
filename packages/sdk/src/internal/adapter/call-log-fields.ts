/** The global symbol the SDK logger reads the fields of the call in flight from (see `logger.ts`). */
const callFieldsKey = Symbol.for('procvision.sdk.callLogFields');

/**
 * Sets (or clears) the fields every SDK logger line carries while a call runs (`trace_id`). A
 * global symbol rather than a module variable: the algorithm may load its own copy of the SDK.
 */
export function setCallLogFields(fields: Record<string, unknown> | undefined): void {
  (globalThis as { [callFieldsKey]?: Record<string, unknown> | undefined })[callFieldsKey] = fields;
}
