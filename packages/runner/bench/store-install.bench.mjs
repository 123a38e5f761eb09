// store.install_s: time to install examples/algorithm-example's linux-x64 delivery zip into a
// fresh package store (verify + extract, npm ci --offline, installed-set check, smoke-load,
// rename, registry write). Median of 3 runs; target under 10 s. One JSON line on stdout.
// Run: pnpm --filter @procvision/runner exec node bench/store-install.bench.mjs
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDeliveryZip, currentTarget, formatTarget } from '@procvision/packager';
import { PackageStore } from '../dist/index.js';

const exampleDir = fileURLToPath(new URL('../../../examples/algorithm-example', import.meta.url));
const workDir = mkdtempSync(join(tmpdir(), 'procvision-store-bench-'));
const runs = 3;
const targetSeconds = 10;

try {
  process.stderr.write(`packaging ${exampleDir} for ${formatTarget(currentTarget())}\n`);
  const built = await buildDeliveryZip(exampleDir, {
    target: currentTarget(),
    output: join(workDir, 'zips'),
    npmCacheDir: join(tmpdir(), 'procvision-packager-test-npm-cache'),
    skipBuild: existsSync(join(exampleDir, 'dist', 'main.js')),
  });
  const seconds = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    const store = await PackageStore.open(join(workDir, `store-${run}`));
    await store.install(built.zipPath);
    seconds.push((performance.now() - started) / 1000);
    process.stderr.write(`install ${run + 1}/${runs}: ${seconds.at(-1).toFixed(2)} s\n`);
  }
  const median = seconds.sort((left, right) => left - right)[Math.floor(runs / 2)];
  const round = (value) => Math.round(value * 1000) / 1000;
  process.stdout.write(
    `${JSON.stringify({ bench: 'store.install_s', value: round(median), unit: 's', baseline_name: 'target_s', baseline: targetSeconds, ratio: round(median / targetSeconds) })}\n`,
  );
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
