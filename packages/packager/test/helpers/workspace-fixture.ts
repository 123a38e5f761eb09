import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * A small pnpm workspace in `root`: `packages/lib` (@fixture/lib, built dist/) and
 * `apps/algo` (the algorithm, depending on @fixture/lib via workspace: and on the real
 * registry package is-number via catalog:). Returns the algorithm project folder.
 */
export function createWorkspaceFixture(root: string): string {
  writeFileSync(join(root, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n  - apps/*\n\ncatalog:\n  is-number: ^7.0.0\n');
  const lib = join(root, 'packages', 'lib');
  mkdirSync(join(lib, 'dist'), { recursive: true });
  writeJson(join(lib, 'package.json'), {
    name: '@fixture/lib',
    version: '0.3.0',
    type: 'module',
    main: './dist/index.js',
    files: ['dist'],
    dependencies: { 'is-number': 'catalog:' },
    devDependencies: { typescript: '^5.0.0' },
  });
  writeFileSync(join(lib, 'dist', 'index.js'), 'export const answer = 42;\n');
  const algo = join(root, 'apps', 'algo');
  mkdirSync(join(algo, 'src'), { recursive: true });
  mkdirSync(join(algo, 'assets', 'configs'), { recursive: true });
  writeJson(join(algo, 'package.json'), {
    name: 'fixture-algo',
    version: '1.2.0',
    type: 'module',
    scripts: { build: 'node build.mjs', test: 'echo no' },
    dependencies: { '@fixture/lib': 'workspace:^', 'is-number': 'catalog:' },
    devDependencies: { typescript: '^5.0.0' },
    engines: { node: '>=20.19' },
  });
  writeFileSync(
    join(algo, 'build.mjs'),
    "import { mkdirSync, copyFileSync } from 'node:fs';\nmkdirSync('dist', { recursive: true });\ncopyFileSync('src/main.js', 'dist/main.js');\n",
  );
  writeFileSync(join(algo, 'src', 'main.js'), "import { answer } from '@fixture/lib';\nexport class FixtureAlgo { answer() { return answer; } }\n");
  writeJson(join(algo, 'assets', 'configs', 'A01.json'), { threshold: 0.5 });
  writeJson(join(algo, 'manifest.json'), {
    name: 'fixture-algo',
    version: '1.2.0',
    entry_point: 'dist/main.js:FixtureAlgo',
    supported_pids: ['A01'],
    required_assets: { A01: { config: 'assets/configs/A01.json' } },
  });
  return algo;
}
