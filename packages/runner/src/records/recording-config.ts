import { z } from 'zod';

/**
 * How a PID's steps are recorded: `mode` `all`, `ng` (NG and ERROR steps) or `1-in-N` (every
 * Nth step), bounded by `max_bytes` (the oldest records go first) and `max_age_hours`.
 */
export const pidRecordingSchema = z.strictObject({
  mode: z.union([z.enum(['all', 'ng', 'off']), z.string().regex(/^1-in-[1-9]\d{0,5}$/, 'all, ng, off or 1-in-N (N from 1 to 999999)')]),
  max_bytes: z
    .number()
    .int()
    .min(64 * 1024)
    .max(2 ** 50)
    .default(1024 ** 3),
  max_age_hours: z
    .number()
    .positive()
    .max(24 * 3650)
    .default(24 * 7),
});

/** `recording` of the store's config.json: PID -> {@link pidRecordingSchema}. Absent: nothing is recorded. */
export const recordingConfigSchema = z.record(z.string().min(1).max(64), pidRecordingSchema).default({});

/** One PID's recording settings (defaults filled). */
export type PidRecording = z.output<typeof pidRecordingSchema>;
/** The store's recording settings, per PID. */
export type RecordingConfig = z.output<typeof recordingConfigSchema>;
