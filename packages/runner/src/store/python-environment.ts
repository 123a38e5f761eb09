import { join } from 'node:path';
import { parsePythonEntryPoint, ErrorCodes } from '@procvision/manifest';
import { runProcess } from '@procvision/packager/process';

/** The environment of the store's Python children: inherited minus every `PIP_*` / `PYTHON*` setting (no index, no user site, no config). */
function pythonEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^(PIP_|PYTHON)/i.test(key) && !/^(https?|all|no)_proxy$/i.test(key)) env[key] = value;
  return {
    ...env,
    PIP_CONFIG_FILE: '/dev/null',
    PIP_NO_INDEX: '1',
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    PYTHONNOUSERSITE: '1',
    PYTHONDONTWRITEBYTECODE: '1',
    ...extra,
  };
}

/** The interpreter of a venv (POSIX `bin/python`, Windows `Scripts/python.exe`). */
export function venvPython(venvDir: string): string {
  return process.platform === 'win32' ? join(venvDir, 'Scripts', 'python.exe') : join(venvDir, 'bin', 'python');
}

/** Options of {@link createPythonEnvironment}. */
interface PythonEnvironmentOptions {
  /** The store's interpreter. */
  python: string;
  /** Let the venv see the interpreter's site-packages. */
  systemSitePackages: boolean;
  /** Per command (default 600000 ms). */
  timeoutMs?: number;
  /** Called with the pip child once spawned. */
  onPipSpawn?: (pid: number | undefined) => void;
}

/**
 * Creates `<packageDir>/.venv` with the store's interpreter (`python -m venv`, system
 * site-packages as set) and installs requirements.txt into it from `wheels/` alone:
 * `pip install --isolated --no-index --find-links wheels --only-binary :all: -r requirements.txt`
 * (no index, no config, no cache, no network).
 * @throws ProcVisionError 2027 with the failing command's stderr tail
 */
export async function createPythonEnvironment(packageDir: string, options: PythonEnvironmentOptions): Promise<string> {
  const venvDir = join(packageDir, '.venv');
  const timeoutMs = options.timeoutMs ?? 600_000;
  const env = pythonEnvironment();
  await runProcess(options.python, ['-I', '-m', 'venv', ...(options.systemSitePackages ? ['--system-site-packages'] : []), venvDir], {
    cwd: packageDir,
    env,
    timeoutMs,
    code: ErrorCodes.pythonInstallFailed,
    describe: `${options.python} -m venv`,
  });
  const pip = [
    '-I',
    '-m',
    'pip',
    'install',
    '--isolated',
    '--no-index',
    '--no-cache-dir',
    '--disable-pip-version-check',
    '--no-input',
    '--only-binary',
    ':all:',
    '--find-links',
    join(packageDir, 'wheels'),
    '-r',
    join(packageDir, 'requirements.txt'),
  ];
  await runProcess(venvPython(venvDir), pip, {
    cwd: packageDir,
    env,
    timeoutMs,
    code: ErrorCodes.pythonInstallFailed,
    describe: 'pip install --no-index --find-links wheels -r requirements.txt',
    ...(options.onPipSpawn === undefined ? {} : { onSpawn: (child) => options.onPipSpawn?.(child.pid) }),
  });
  return venvDir;
}

const importScript = `
import importlib, sys
module_name, class_name = sys.argv[1], sys.argv[2]
module = importlib.import_module(module_name)
cls = getattr(module, class_name, None)
if not isinstance(cls, type):
    sys.stderr.write("%s imports but has no class %s\\n" % (module_name, class_name))
    sys.exit(3)
try:
    from procvision_algorithm_sdk import BaseAlgorithm
except ImportError as error:
    sys.stderr.write("procvision_algorithm_sdk is not installed in the environment (%s); list it in requirements.txt with its wheel in wheels/\\n" % error)
    sys.exit(4)
if not issubclass(cls, BaseAlgorithm):
    sys.stderr.write("%s.%s is not a subclass of procvision_algorithm_sdk.BaseAlgorithm\\n" % (module_name, class_name))
    sys.exit(5)
`;

/**
 * Imports a Python entry point (`module:Class`) with the venv's interpreter, the package root
 * first on `sys.path` (as the adapter runs it): the module must import with the installed
 * wheels and define a subclass of the SDK's BaseAlgorithm. Nothing beyond import runs.
 * @throws ProcVisionError 2028 with the interpreter's stderr tail
 */
export async function smokeImportPythonEntry(packageDir: string, python: string, entryPoint: string, timeoutMs = 60_000): Promise<void> {
  const { module, className } = parsePythonEntryPoint(entryPoint);
  await runProcess(python, ['-c', importScript, module, className], {
    cwd: packageDir,
    env: pythonEnvironment({ PYTHONPATH: packageDir, PROC_ALGO_ROOT: packageDir }),
    timeoutMs,
    code: ErrorCodes.pythonEntryImportFailed,
    describe: `importing the entry point ${entryPoint}`,
  });
}
