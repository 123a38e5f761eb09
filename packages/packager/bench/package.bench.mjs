// Bench: packager.package_s — seconds to package an algorithm for this machine's target,
// against a plain `npm pack` of the same project (what a naive delivery would do).
// Uses examples/algorithm-example when present, else a temp project depending on sharp.
// Prints one JSON line on stdout; everything else goes to stderr.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDeliveryZip } from '../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const example = join(here, '..', '..', '..', 'examples', 'algorithm-example');
const scratch = mkdtempSync(join(tmpdir(), 'procvision-packager-bench-'));
const npmCacheDir = join(tmpdir(), 'procvision-packager-test-npm-cache');

function fallbackProject() {
  const project = join(scratch, 'project');
  mkdirSync(join(project, 'dist'), { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'bench-algo', version: '1.0.0', type: 'module', dependencies: { sharp: '^0.34.5' } }));
  writeFileSync(
    join(project, 'manifest.json'),
    JSON.stringify({ name: 'bench-algo', version: '1.0.0', entry_point: 'dist/main.js:Algo', supported_pids: ['A01'] }),
  );
  writeFileSync(join(project, 'dist', 'main.js'), 'export class Algo {}\n');
  return project;
}

try {
  const project = existsSync(join(example, 'manifest.json')) ? example : fallbackProject();
  process.stderr.write(`packaging ${project}\n`);
  await buildDeliveryZip(project, { output: join(scratch, 'warmup'), npmCacheDir, skipBuild: true });
  const started = performance.now();
  await buildDeliveryZip(project, { output: join(scratch, 'out'), npmCacheDir, skipBuild: true });
  const packageSeconds = (performance.now() - started) / 1000;
  const npmCli = join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
  const baselineStarted = performance.now();
  const packed = spawnSync(process.execPath, [npmCli, 'pack', '--pack-destination', scratch, '--ignore-scripts'], {
    cwd: project,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const baselineSeconds = packed.status === 0 ? (performance.now() - baselineStarted) / 1000 : null;
  const round = (value) => Math.round(value * 1000) / 1000;
  process.stdout.write(
    `${JSON.stringify({ bench: 'packager.package_s', value: round(packageSeconds), unit: 's', baseline_name: baselineSeconds === null ? null : 'npm pack (no dependencies, no checks)', baseline: baselineSeconds === null ? null : round(baselineSeconds), ratio: baselineSeconds === null ? null : round(packageSeconds / baselineSeconds) })}\n`,
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
