import { z } from 'zod';
import { packageNameSchema, packageVersionSchema, supportedPidsSchema } from './common-fields.js';
import { ContractError, formatContractIssues } from './contract-error.js';
import { type ErrorCode, ErrorCodes } from './error-codes.js';
import { parseWithIssues } from './internal/parse-with-issues.js';
import { stepListSchema } from './step-spec.js';

/** The two generations of the Python SDK a delivery zip may be built with. */
export const pythonSdkGenerationSchema = z.enum(['v0.0.6', 'v0.3.2']);

/** `v0.0.6` (pre/execute calls, `supported_pids` required) or `v0.3.2` (execute-only calls, PIDs optional). */
export type PythonSdkGeneration = z.infer<typeof pythonSdkGenerationSchema>;

/** A Python entry point: `<dotted.module>:<Class>`, e.g. `algorithm_example.main:AlgorithmExample`. */
export const pythonEntryPointSchema = z.string().regex(/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*:[A-Za-z_]\w*$/, {
  message: 'expected "<dotted.module>:<Class>" such as "algorithm_example.main:AlgorithmExample"',
});

/**
 * `manifest.json` of a Python package, what the adapters of both generations read: `name`,
 * `version`, `entry_point`, and optionally `description`, `supported_pids` (absent: any PID) and
 * `steps` with their `params` (absent: any step index, params unvalidated). Unknown fields are
 * kept, as the Python SDK ignores them. This is also the whole v0.3.2 contract.
 */
export const pythonManifestSchema = z.looseObject({
  name: packageNameSchema,
  version: packageVersionSchema,
  entry_point: pythonEntryPointSchema,
  description: z.string().optional(),
  supported_pids: supportedPidsSchema.optional(),
  steps: stepListSchema.optional(),
});

/** manifest.json of a v0.0.6 Python package: {@link pythonManifestSchema} with `supported_pids` required. */
export const pythonManifestV006Schema = pythonManifestSchema.extend({ supported_pids: supportedPidsSchema });

/** A Python package's manifest.json (see {@link pythonManifestSchema}). */
export type PythonManifest = z.infer<typeof pythonManifestSchema>;

/** Options of {@link parsePythonManifest}. */
export interface ParsePythonManifestOptions {
  /** The SDK generation whose rules apply; absent: only what both generations require. */
  generation?: PythonSdkGeneration;
  /** Where the value came from, used in messages (default `manifest.json`). */
  source?: string;
  /** Error code of the thrown {@link ContractError} (default `2020`, Python manifest invalid). */
  code?: ErrorCode;
}

/**
 * Validates a Python package's parsed manifest.json, for one SDK generation when given.
 * @throws ContractError (2020 unless `options.code`) naming every bad field
 */
export function parsePythonManifest(value: unknown, options: ParsePythonManifestOptions = {}): PythonManifest {
  const { generation, source = 'manifest.json' } = options;
  const outcome = parseWithIssues(generation === 'v0.0.6' ? pythonManifestV006Schema : pythonManifestSchema, value);
  if (!outcome.ok) {
    const subject = generation === undefined ? 'invalid Python package manifest' : `invalid manifest for Python SDK ${generation}`;
    throw new ContractError(options.code ?? ErrorCodes.pythonManifestInvalid, formatContractIssues(`${source}: ${subject}`, outcome.issues), outcome.issues);
  }
  return outcome.value;
}

/** `<dotted.module>:<Class>` split. */
export function parsePythonEntryPoint(entryPoint: string): { module: string; className: string } {
  const colon = entryPoint.lastIndexOf(':');
  return { module: entryPoint.slice(0, colon), className: entryPoint.slice(colon + 1) };
}
