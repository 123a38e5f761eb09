import { z } from 'zod';
import { packageNameSchema, packageVersionSchema, supportedPidsSchema } from './common-fields.js';
import { ContractError, formatContractIssues } from './contract-error.js';
import { ErrorCodes } from './error-codes.js';
import { parseWithIssues } from './internal/parse-with-issues.js';

/** The two generations of the Python SDK a delivery zip may be built with. */
export const pythonSdkGenerationSchema = z.enum(['v0.0.6', 'v0.3.2']);

/** `v0.0.6` (pre/execute calls, `supported_pids` required) or `v0.3.2` (execute-only calls, PIDs optional). */
export type PythonSdkGeneration = z.infer<typeof pythonSdkGenerationSchema>;

/** A Python entry point: `<dotted.module>:<Class>`, e.g. `algorithm_example.main:AlgorithmExample`. */
export const pythonEntryPointSchema = z.string().regex(/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*:[A-Za-z_]\w*$/, {
  message: 'expected "<dotted.module>:<Class>" such as "algorithm_example.main:AlgorithmExample"',
});

const commonFields = {
  name: packageNameSchema,
  version: packageVersionSchema,
  entry_point: pythonEntryPointSchema,
  description: z.string().optional(),
};

/** manifest.json of a v0.0.6 Python package: `supported_pids` and (optionally) `steps` are part of it. */
export const pythonManifestV006Schema = z.looseObject({ ...commonFields, supported_pids: supportedPidsSchema, steps: z.array(z.unknown()).optional() });

/** manifest.json of a v0.3.2 Python package: name, version, entry point; `supported_pids` optional (absent: any PID). */
export const pythonManifestV032Schema = z.looseObject({ ...commonFields, supported_pids: supportedPidsSchema.optional() });

/** A Python package's manifest.json (either generation; unknown fields are kept, as the Python SDK ignores them). */
export type PythonManifest = z.infer<typeof pythonManifestV032Schema>;

/**
 * Validates a Python package's parsed manifest.json for its SDK generation.
 * @throws ContractError 2020 naming every bad field
 */
export function parsePythonManifest(value: unknown, generation: PythonSdkGeneration, source = 'manifest.json'): PythonManifest {
  const outcome = parseWithIssues(generation === 'v0.0.6' ? pythonManifestV006Schema : pythonManifestV032Schema, value);
  if (!outcome.ok)
    throw new ContractError(
      ErrorCodes.pythonManifestInvalid,
      formatContractIssues(`${source}: invalid manifest for Python SDK ${generation}`, outcome.issues),
      outcome.issues,
    );
  return outcome.value;
}

/** `<dotted.module>:<Class>` split. */
export function parsePythonEntryPoint(entryPoint: string): { module: string; className: string } {
  const colon = entryPoint.lastIndexOf(':');
  return { module: entryPoint.slice(0, colon), className: entryPoint.slice(colon + 1) };
}
