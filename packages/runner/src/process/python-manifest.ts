import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AlgorithmInfo,
  ContractError,
  formatContractIssues,
  packageNameSchema,
  packageVersionSchema,
  ProcVisionError,
  stepListSchema,
  supportedPidsSchema,
} from '@procvision/manifest';
import { z } from 'zod';

/**
 * `manifest.json` of a Python SDK package, as its adapters read it: `name`, `version`,
 * `entry_point` (`module:Class`), and, in the v0.0 generation, `supported_pids` and `steps`
 * with their `params`. A v0.3 manifest has neither; both are optional here.
 */
export const pythonManifestSchema = z.object({
  name: packageNameSchema,
  version: packageVersionSchema,
  entry_point: z.string().regex(/^[\w.]+:[\w.]+$/, { message: 'expected "module:Class", e.g. "algorithm_example.main:AlgorithmExample"' }),
  description: z.string().optional(),
  supported_pids: supportedPidsSchema.optional(),
  steps: stepListSchema.optional(),
});

/** A Python package's manifest (see {@link pythonManifestSchema}). */
export type PythonManifest = z.infer<typeof pythonManifestSchema>;

/**
 * Reads and checks `<root>/manifest.json` of a Python package.
 * @throws ProcVisionError 2002 when it is missing, ContractError 2001 naming each bad field
 */
export function readPythonManifest(root: string): PythonManifest {
  const path = join(root, 'manifest.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ProcVisionError('2002', `no manifest.json at ${path}: a Python package root holds its manifest.json`, { cause: error, details: { path } });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ContractError('2001', `${path}: not valid JSON (${(error as Error).message})`, [{ path: '', message: 'invalid JSON' }]);
  }
  const parsed = pythonManifestSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      path: issue.path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? String(part) : `.${String(part)}`)).join(''),
      message: issue.message,
    }));
    throw new ContractError('2001', formatContractIssues(`${path}: invalid Python package manifest`, issues), issues);
  }
  return parsed.data;
}

/**
 * What the runner uses in place of `getInfo()` for a Python adapter (it never calls `get_info`):
 * the manifest's name, version, description, `supported_pids` and `steps`. An absent list is
 * empty, which means open: any PID (a v0.3 package is bound to PIDs by the store only) and any
 * step index from 1 (user params then pass unvalidated to a v0.0 algorithm).
 */
export function pythonAlgorithmInfo(manifest: PythonManifest): AlgorithmInfo {
  return {
    name: manifest.name,
    version: manifest.version,
    ...(manifest.description === undefined ? {} : { description: manifest.description }),
    supported_pids: manifest.supported_pids ?? [],
    steps: manifest.steps ?? [],
  };
}
