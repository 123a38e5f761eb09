/** Most defect rects kept by default (domain.md; the runner config's `max_defects`); extra ones are dropped with a warning. */
export const DEFAULT_MAX_DEFECTS = 20;

/** A result's `message` above this many characters earns a warning (domain.md). */
export const MAX_RESULT_MESSAGE_LENGTH = 100;

/** An `execute` result's `data.ng_reason` above this many characters earns a warning (domain.md). */
export const MAX_NG_REASON_LENGTH = 50;
