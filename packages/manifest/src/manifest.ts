import { z } from 'zod';
import { identityWarnings, packageNameSchema, packageVersionSchema, supportedPidsSchema } from './common-fields.js';
import { ContractError, formatContractIssues } from './contract-error.js';
import { entryPointSchema } from './entry-point.js';
import { type ErrorCode, ErrorCodes } from './error-codes.js';
import { parseWithIssues } from './internal/parse-with-issues.js';
import { relativePathSchema } from './relative-path.js';
import { stepListSchema } from './step-spec.js';

/** `{ kind: relative path }`, e.g. `{"config": "configs/A01.json", "model": "models/a01.onnx"}`. */
export const assetMapSchema = z.record(z.string().min(1), relativePathSchema);

/** The algorithm manifest, `manifest.json` at the package root (docs/spec/domain.md). */
export const manifestSchema = z.object({
  name: packageNameSchema,
  version: packageVersionSchema,
  entry_point: entryPointSchema,
  description: z.string().optional(),
  supported_pids: supportedPidsSchema,
  steps: stepListSchema.optional(),
  required_assets: z.record(z.string().min(1), assetMapSchema).optional(),
  default_config: assetMapSchema.optional(),
});

/** The algorithm manifest (see {@link manifestSchema}). */
export type Manifest = z.infer<typeof manifestSchema>;

/** Options of {@link parseManifest}. */
export interface ParseManifestOptions {
  /** Where the value came from, used in messages (default `manifest.json`). */
  source?: string;
  /** Error code of the thrown {@link ContractError} (default `2001`, invalid package). */
  code?: ErrorCode;
}

/** What {@link parseManifest} returns: the manifest and any warnings. */
export interface ParsedManifest {
  manifest: Manifest;
  /** Non-fatal findings (legacy `1.0` version, more than 20 PIDs, assets for unlisted PIDs). */
  warnings: string[];
}

function manifestWarnings(manifest: Manifest): string[] {
  const warnings = identityWarnings(manifest);
  for (const pid of Object.keys(manifest.required_assets ?? {})) {
    if (!manifest.supported_pids.includes(pid)) warnings.push(`required_assets.${pid}: pid is not in supported_pids; its assets are never used`);
  }
  return warnings;
}

/**
 * Validates a parsed `manifest.json`. Returns it with warnings; throws a {@link ContractError}
 * whose message names every bad field (`supported_pids[3]: duplicate pid "A01"`).
 */
export function parseManifest(value: unknown, options: ParseManifestOptions = {}): ParsedManifest {
  const outcome = parseWithIssues(manifestSchema, value);
  if (!outcome.ok) {
    const subject = `${options.source ?? 'manifest.json'}: invalid manifest`;
    throw new ContractError(options.code ?? ErrorCodes.invalidZip, formatContractIssues(subject, outcome.issues), outcome.issues);
  }
  return { manifest: outcome.value, warnings: manifestWarnings(outcome.value) };
}

/** Every asset path a manifest lists (`required_assets` and `default_config`), with the field naming it. */
export function manifestAssetPaths(manifest: Manifest): Array<{ field: string; path: string }> {
  const paths: Array<{ field: string; path: string }> = [];
  for (const [pid, assets] of Object.entries(manifest.required_assets ?? {})) {
    for (const [kind, path] of Object.entries(assets)) paths.push({ field: `required_assets.${pid}.${kind}`, path });
  }
  for (const [kind, path] of Object.entries(manifest.default_config ?? {})) paths.push({ field: `default_config.${kind}`, path });
  return paths;
}
