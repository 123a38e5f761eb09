import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDeliveryZip, currentTarget } from '@procvision/packager';
import { examplePackageRoot } from '../src/example-package.js';

/** Packages the example algorithm for this machine into `<workDir>/zips` (the packager's test npm cache); returns the zip's path. */
export async function buildExampleZip(workDir: string): Promise<string> {
  const built = await buildDeliveryZip(examplePackageRoot, {
    target: currentTarget(),
    output: join(workDir, 'zips'),
    npmCacheDir: join(tmpdir(), 'procvision-packager-test-npm-cache'),
    skipBuild: true,
  });
  return built.zipPath;
}
