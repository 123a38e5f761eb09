import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseEntryPoint } from '@procvision/manifest';
import { runProcess } from '@procvision/packager/process';

const loaderScript = `
const [moduleUrl, exportName] = process.argv.slice(-2);
const loaded = await import(moduleUrl);
if (typeof loaded[exportName] !== 'function') {
  console.error('the module loads but does not export a class named ' + exportName + ' (exports: ' + Object.keys(loaded).join(', ') + ')');
  process.exit(3);
}
`;

/**
 * Loads a package's entry point (`dist/main.js:Export`) in a child Node process, as `validate`'s
 * import check does: the module must import with the installed node_modules (native addons
 * included) and export the named class. Nothing of the algorithm runs beyond module load.
 * @throws ProcVisionError 2005 with the child's stderr tail, or when it exceeds `timeoutMs`
 */
export async function smokeLoadEntryPoint(packageDir: string, entryPoint: string, timeoutMs = 30_000): Promise<void> {
  const { modulePath, exportName } = parseEntryPoint(entryPoint);
  const moduleUrl = pathToFileURL(join(packageDir, modulePath)).href;
  await runProcess(process.execPath, ['--input-type=module', '--eval', loaderScript, '--', moduleUrl, exportName], {
    cwd: packageDir,
    env: { ...process.env, PROC_ALGO_ROOT: packageDir },
    timeoutMs,
    describe: `loading the entry point ${entryPoint}`,
  });
}
