import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AlgorithmInfo, ContractError, ErrorCodes, ProcVisionError, type PythonManifest, parsePythonManifest } from '@procvision/manifest';

/**
 * Reads and checks `<root>/manifest.json` of a Python package, as both generations' adapters
 * read it (`pythonManifestSchema` of `@procvision/manifest`: PIDs and steps optional).
 * @throws ProcVisionError 2002 when it is missing, ContractError 2001 naming each bad field
 */
export function readPythonManifest(root: string): PythonManifest {
  const path = join(root, 'manifest.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ProcVisionError(ErrorCodes.manifestMissing, `no manifest.json at ${path}: a Python package root holds its manifest.json`, {
      cause: error,
      details: { path },
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ContractError(ErrorCodes.invalidZip, `${path}: not valid JSON (${(error as Error).message})`, [{ path: '', message: 'invalid JSON' }]);
  }
  return parsePythonManifest(value, { source: path, code: ErrorCodes.invalidZip });
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
