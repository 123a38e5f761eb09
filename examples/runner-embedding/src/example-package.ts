import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * The root of examples/algorithm-example (its manifest.json, built dist/ and samples/), found
 * through this package's workspace dependency on it. In a real platform the root is a
 * store folder such as `runtime_store/algorithms/deployed/<name>/<version>/`.
 */
export const examplePackageRoot = dirname(require.resolve('algorithm-example/package.json'));

/** A sample image of the example package: `ok.png` (a complete board) or `ng.png` (screw missing, stain). */
export function samplePath(name: 'ok.png' | 'ng.png'): string {
  return join(examplePackageRoot, 'samples', name);
}
