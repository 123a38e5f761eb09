import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { extractPythonDeliveryZip, type KeyInput } from '@procvision/packager';
import { readRegistryForInstall, type StagedPackage } from './commit-staged-package.js';
import type { InstallStageListener } from './install-stage.js';
import { createPythonEnvironment, smokeImportPythonEntry, venvPython } from './python-environment.js';
import type { StorePaths } from './store-paths.js';

/** The store's Python settings. */
export interface PythonStoreSettings {
  /** The interpreter Python packages are checked against and get their venv from (default `python3`). */
  interpreter?: string;
  /** Whether each package's venv sees the interpreter's site-packages (default false). */
  systemSitePackages?: boolean;
}

/** The file of a Python package's root listing the sha256 of every file of its zip (the bytes SIGNATURE signs). */
const pythonFilesListing = '.procvision-files.sha256';
/** The file of a Python package's root holding the SBOM derived at install from its wheels' METADATA. */
const pythonSbomFile = '.procvision-sbom.cdx.json';

interface PythonInstallOptions {
  trustedKeys?: readonly KeyInput[];
  requireSignature?: boolean;
  smokeLoadTimeoutMs?: number;
  python?: PythonStoreSettings;
  onStage?: InstallStageListener;
}

/**
 * Stages a Python SDK delivery zip: verify + extract (the project folder's files become the
 * package root, wheels/ beside them) with the station checks of the store's interpreter, its
 * SBOM derived from the wheels' METADATA (kept as `.procvision-sbom.cdx.json`), a
 * venv per version (`<root>/.venv`, system site-packages as set), `pip install --no-index
 * --find-links wheels -r requirements.txt`, a smoke import of the entry point; the rename,
 * archive and registry write are those of our zips.
 */
export async function stagePythonPackage(paths: StorePaths, zip: string, stagingName: string, options: PythonInstallOptions): Promise<StagedPackage> {
  const interpreter = options.python?.interpreter ?? 'python3';
  const systemSitePackages = options.python?.systemSitePackages === true;
  const stagingDir = join(paths.deployed, stagingName);
  options.onStage?.({ stage: 'extracting', stagingDir });
  const extracted = await extractPythonDeliveryZip(zip, paths.deployed, {
    stagingName,
    python: interpreter,
    ...(options.trustedKeys ? { trustedKeys: options.trustedKeys } : {}),
    requireSignature: options.requireSignature === true,
  });
  const { manifest } = extracted;
  const registry = await readRegistryForInstall(paths, manifest.name, manifest.version);
  await writeFile(join(stagingDir, pythonFilesListing), extracted.listing, { flag: 'wx', mode: 0o644 });
  await writeFile(join(stagingDir, pythonSbomFile), extracted.sbomDocument, { flag: 'wx', mode: 0o644 });
  const venvDir = await createPythonEnvironment(stagingDir, {
    python: interpreter,
    systemSitePackages,
    onPipSpawn: (pid) => options.onStage?.({ stage: 'dependencies', stagingDir, pid }),
  });
  await smokeImportPythonEntry(stagingDir, venvPython(venvDir), manifest.entry_point, options.smokeLoadTimeoutMs);
  const entry: StagedPackage['entry'] = {
    kind: 'python',
    python: {
      interpreter,
      executable: extracted.interpreter.executable,
      python_version: extracted.interpreter.pythonVersion,
      implementation: extracted.interpreter.implementation,
      abi: extracted.interpreter.abi,
      platform: extracted.interpreter.platform,
      venv: '.venv',
      venv_python: relative(stagingDir, venvPython(venvDir)),
      system_site_packages: systemSitePackages,
      generation: extracted.generation,
      sdk_version: extracted.sdkVersion,
      folder: extracted.folder,
      wheels: extracted.wheels,
      files_listing: pythonFilesListing,
    },
    signer_key_id: extracted.signerKeyId,
    delivery_sha256: extracted.listingSha256,
    dependency_count: extracted.wheels.length,
    sbom_file: pythonSbomFile,
    licenses: extracted.sbom.licenses,
  };
  return { stagingDir, registry, manifest, entry };
}
