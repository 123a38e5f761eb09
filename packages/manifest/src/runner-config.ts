import { z } from 'zod';
import { ContractError, formatContractIssues } from './contract-error.js';
import { ErrorCodes } from './error-codes.js';
import { parseWithIssues } from './internal/parse-with-issues.js';
import { DEFAULT_MAX_DEFECTS } from './result-limits.js';

const milliseconds = (fallback: number) => z.number().int().positive().default(fallback);
const count = (fallback: number) => z.number().int().min(0).default(fallback);

/** Runner settings with the defaults of docs/spec/protocol.md; unknown keys are rejected (a typo never falls back silently). */
export const runnerConfigSchema = z.strictObject({
  pre_execute_timeout_ms: milliseconds(10_000),
  execute_timeout_ms: milliseconds(30_000),
  startup_timeout_ms: milliseconds(60_000),
  heartbeat_interval_ms: milliseconds(5_000),
  heartbeat_grace_ms: milliseconds(2_000),
  max_missed_heartbeats: z.number().int().min(1).default(2),
  kill_grace_ms: milliseconds(3_000),
  max_retries: count(2),
  max_restarts: count(3),
  restart_window_ms: milliseconds(60_000),
  max_frame_bytes: z.number().int().positive().default(4_194_304),
  max_defects: z.number().int().min(1).default(DEFAULT_MAX_DEFECTS),
  shared_memory_backend: z.enum(['mmap', 'sab', 'dev-shm']).default('mmap'),
  log_level: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

/** Runner settings, every field present (see {@link runnerConfigSchema}). */
export type RunnerConfig = z.infer<typeof runnerConfigSchema>;
/** What a caller may pass: any subset of {@link RunnerConfig}. */
export type RunnerConfigInput = z.input<typeof runnerConfigSchema>;

/** The defaults of docs/spec/protocol.md. */
export const defaultRunnerConfig: Readonly<RunnerConfig> = Object.freeze(runnerConfigSchema.parse({}));

/** Fills the defaults of docs/spec/protocol.md into `partial`; throws a {@link ContractError} (code 9999) naming each bad key. */
export function parseRunnerConfig(partial: unknown = {}): RunnerConfig {
  const outcome = parseWithIssues(runnerConfigSchema, partial);
  if (!outcome.ok) throw new ContractError(ErrorCodes.unknownError, formatContractIssues('invalid runner config', outcome.issues), outcome.issues);
  return outcome.value;
}
