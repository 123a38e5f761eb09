import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The python with numpy (and venv) tests use: `$PROCVISION_PYTHON`, default `python3`. */
export const testPython = process.env.PROCVISION_PYTHON ?? 'python3';

/** The Python SDK v0.3.2 folder (`$PROCVISION_PY_SDK/v0.3.2`), or why Python store tests skip. */
export function pythonSdkOrSkipReason(): { sdk: string } | { skip: string } {
  const root = process.env.PROCVISION_PY_SDK;
  if (root === undefined || !existsSync(join(root, 'v0.3.2', 'procvision_algorithm_sdk')))
    return { skip: 'skipped: set PROCVISION_PY_SDK to a folder holding the Python SDK v0.3.2/ to run the Python package store tests' };
  const probe = spawnSync(testPython, ['-c', 'import venv, ensurepip, numpy, pip'], { encoding: 'utf8' });
  if (probe.status !== 0)
    return {
      skip: `skipped: ${testPython} lacks venv, ensurepip, pip or numpy (apt-get install python3-venv python3-pip python3-numpy; or set PROCVISION_PYTHON)`,
    };
  return { sdk: join(root, 'v0.3.2') };
}

function writable(path: string): void {
  chmodSync(path, statSync(path).isDirectory() ? 0o755 : 0o644);
  if (statSync(path).isDirectory()) for (const name of readdirSync(path)) writable(join(path, name));
}

/** Builds the SDK's wheel from a writable copy of the SDK folder (never writing into it); returns the wheel's path. */
export function buildSdkWheel(sdk: string, work: string): string {
  const copy = join(work, 'sdk-copy');
  cpSync(sdk, copy, { recursive: true });
  writable(copy);
  const output = join(work, 'sdk-wheel');
  execFileSync(testPython, ['-m', 'pip', 'wheel', copy, '--no-deps', '--no-build-isolation', '--isolated', '--no-index', '-w', output], { stdio: 'pipe' });
  const wheel = readdirSync(output).find((name) => name.endsWith('.whl'));
  if (wheel === undefined) throw new Error(`pip wheel wrote no wheel into ${output}`);
  return join(output, wheel);
}

/** Options of {@link buildPythonZip}. */
interface PythonZipOptions {
  version: string;
  /** requirements.txt (default `procvision-algorithm-sdk==0.3.2`). */
  requirements?: string;
  /** Extra files of wheels/ (name -> bytes). */
  extraWheels?: Record<string, Buffer>;
}

/**
 * Assembles the v0.3.2 example algorithm as a project (manifest version set, requirements.txt,
 * wheels/ holding the SDK wheel) and runs the real v0.3.2 `procvision-cli package` on it
 * (download skipped); returns the zip's path.
 */
export function buildPythonZip(sdk: string, sdkWheel: string, work: string, options: PythonZipOptions): string {
  const parent = join(work, `project-${options.version}`);
  const project = join(parent, 'algorithm-example');
  cpSync(join(sdk, 'algorithm-example'), project, { recursive: true });
  writable(project);
  const manifest = JSON.parse(readFileSync(join(project, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(project, 'manifest.json'), JSON.stringify({ ...manifest, version: options.version }, null, 2));
  writeFileSync(join(project, 'requirements.txt'), options.requirements ?? 'procvision-algorithm-sdk==0.3.2\n');
  mkdirSync(join(project, 'wheels'));
  cpSync(sdkWheel, join(project, 'wheels', sdkWheel.split('/').pop() ?? 'sdk.whl'));
  for (const [name, bytes] of Object.entries(options.extraWheels ?? {})) writeFileSync(join(project, 'wheels', name), bytes);
  const zip = join(work, `algorithm-example-v${options.version}-offline.zip`);
  const program = `import json, sys\nfrom procvision_algorithm_sdk.cli import package\nresult = package(sys.argv[1], sys.argv[2], None, False, None, None, None, None, True, False, None, None, None)\nprint(json.dumps(result))\nsys.exit(0 if result.get("status") == "OK" else 1)\n`;
  execFileSync(testPython, ['-c', program, project, zip], { cwd: parent, env: { ...process.env, PYTHONPATH: join(work, 'sdk-copy') }, stdio: 'pipe' });
  return zip;
}

/** Every file entry of a zip, read with Python's zipfile (to craft hostile variants from a real zip). */
export function readZipEntries(zip: string): Array<{ name: string; data: Buffer }> {
  const program =
    'import base64, json, sys, zipfile\nwith zipfile.ZipFile(sys.argv[1]) as z:\n    print(json.dumps([[i.filename, base64.b64encode(z.read(i)).decode()] for i in z.infolist() if not i.is_dir()]))\n';
  const listed = JSON.parse(execFileSync(testPython, ['-c', program, zip], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })) as Array<[string, string]>;
  return listed.map(([name, data]) => ({ name, data: Buffer.from(data, 'base64') }));
}
