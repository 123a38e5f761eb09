import { z } from 'zod';
import { identityWarnings, packageNameSchema, packageVersionSchema, supportedPidsSchema } from './common-fields.js';
import { ContractError, formatContractIssues } from './contract-error.js';
import { ErrorCodes } from './error-codes.js';
import { parseWithIssues } from './internal/parse-with-issues.js';
import { stepListSchema } from './step-spec.js';

/** What `getInfo()` returns: name, version, description, supported_pids and steps (with param schemas). */
export const algorithmInfoSchema = z.object({
  name: packageNameSchema,
  version: packageVersionSchema,
  description: z.string().optional(),
  supported_pids: supportedPidsSchema,
  steps: stepListSchema,
});

/** What `getInfo()` returns (see {@link algorithmInfoSchema}). */
export type AlgorithmInfo = z.infer<typeof algorithmInfoSchema>;

/**
 * Validates a `getInfo()` result. Returns it with warnings (legacy version, many PIDs);
 * throws a {@link ContractError} (code 9999) naming every bad field.
 */
export function parseAlgorithmInfo(value: unknown, options: { source?: string } = {}): { info: AlgorithmInfo; warnings: string[] } {
  const outcome = parseWithIssues(algorithmInfoSchema, value);
  if (!outcome.ok) {
    throw new ContractError(
      ErrorCodes.unknownError,
      formatContractIssues(`${options.source ?? 'getInfo()'}: invalid algorithm info`, outcome.issues),
      outcome.issues,
    );
  }
  return { info: outcome.value, warnings: identityWarnings(outcome.value) };
}
