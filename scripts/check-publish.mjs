#!/usr/bin/env node
// Packs every publishable package and checks the tarball the registry would get:
// - publint --strict (package.json, exports, files);
// - attw --profile node16 (types resolve for ESM and CommonJS consumers; the one rule ignored,
//   cjs-resolves-to-esm, is TypeScript's node16 mode not knowing that Node >= 20.19 can
//   require() an ES module: see docs/design.md, "ESM served to require()");
// - every dependency range is `catalog:` or `workspace:` (docs/design.md, "Dependency versions");
// - a real require() and import() of every entry point of every tarball, unpacked side by side
//   into a temporary node_modules (third-party dependencies linked from this install).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkJobLauncher, checkPrebuilds } from './check-prebuilds.mjs';

const root = resolve(import.meta.dirname, '..');
const packagesDir = join(root, 'packages');
const outDir = mkdtempSync(join(tmpdir(), 'pv-pack-'));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const pnpm = process.env.npm_execpath && /pnpm/.test(process.env.npm_execpath) ? [process.execPath, [process.env.npm_execpath]] : ['npx', ['-y', 'pnpm@10']];
let failed = 0;

/** Entry points of an exports map that a caller can require: `.`, `./store` ... (no patterns, no JSON). */
function loadableEntryPoints(name, exportsMap) {
  return Object.keys(exportsMap ?? {})
    .filter((key) => !key.includes('*') && !key.endsWith('.json'))
    .map((key) => (key === '.' ? name : `${name}/${key.slice(2)}`));
}

function report(ok, what, detail = '') {
  if (ok) process.stderr.write(`ok   ${what}\n`);
  else {
    failed += 1;
    process.stderr.write(`FAIL ${what}\n${detail}\n`);
  }
}

try {
  const consumer = join(outDir, 'consumer');
  const modules = join(consumer, 'node_modules');
  mkdirSync(join(modules, '@procvision'), { recursive: true });
  const entryPoints = [];
  for (const dir of readdirSync(packagesDir)) {
    const packageDir = join(packagesDir, dir);
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
    const outsideCatalog = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].flatMap((field) =>
      Object.entries(manifest[field] ?? {})
        .filter(([, range]) => !/^(catalog|workspace):/.test(range))
        .map(([name, range]) => `  ${field}.${name}: "${range}" (add it to the catalog of pnpm-workspace.yaml, reference it as "catalog:")`),
    );
    report(outsideCatalog.length === 0, `${manifest.name}: every dependency range from the catalog`, outsideCatalog.join('\n'));
    if (manifest.private) continue;
    const before = new Set(readdirSync(outDir));
    execFileSync(pnpm[0], [...pnpm[1], 'pack', '--pack-destination', outDir], { cwd: packageDir, stdio: ['ignore', 'ignore', 'inherit'] });
    const tarball = readdirSync(outDir).find((file) => !before.has(file) && file.endsWith('.tgz'));
    if (!tarball) throw new Error(`pnpm pack produced no tarball for ${manifest.name}`);
    const tarballPath = join(outDir, tarball);
    if (manifest.name === '@procvision/shm' || manifest.name === '@procvision/runner') {
      const problems = manifest.name === '@procvision/shm' ? checkPrebuilds(tarballPath) : checkJobLauncher(tarballPath);
      failed += problems.length;
      for (const problem of problems) process.stderr.write(`FAIL prebuilds ${problem}\n`);
    }
    for (const [tool, args] of [
      ['publint', ['--strict', tarballPath]],
      ['attw', [tarballPath, '--profile', 'node16', '--ignore-rules', 'cjs-resolves-to-esm', '--format', 'ascii']],
    ]) {
      try {
        execFileSync(bin(tool), args, { cwd: packageDir, stdio: 'pipe' });
        report(true, `${tool} ${manifest.name}`);
      } catch (error) {
        report(false, `${tool} ${manifest.name}`, `${error.stdout ?? ''}${error.stderr ?? ''}`);
      }
    }
    // Unpack the tarball as a consumer would get it; link its third-party dependencies.
    const unpacked = join(modules, manifest.name);
    mkdirSync(unpacked, { recursive: true });
    execFileSync('tar', ['xzf', tarballPath, '-C', unpacked, '--strip-components=1']);
    for (const dependency of Object.keys(manifest.dependencies ?? {})) {
      if (dependency.startsWith('@procvision/')) continue;
      const link = join(modules, dependency);
      if (existsSync(link)) continue;
      mkdirSync(join(link, '..'), { recursive: true });
      symlinkSync(realpathSync(join(packageDir, 'node_modules', dependency)), link, 'dir');
    }
    entryPoints.push(...loadableEntryPoints(manifest.name, manifest.exports));
  }
  // require() and import() of every entry point, each in a fresh process, from the consumer folder.
  for (const specifier of entryPoints) {
    for (const [kind, source] of [
      ['require', `const m = require(${JSON.stringify(specifier)}); if (Object.keys(m).length === 0) throw new Error('no exports');`],
      ['import', `const m = await import(${JSON.stringify(specifier)}); if (Object.keys(m).length === 0) throw new Error('no exports');`],
    ]) {
      const child = spawnSync(process.execPath, ['--input-type', kind === 'require' ? 'commonjs' : 'module', '-e', source], {
        cwd: consumer,
        encoding: 'utf8',
      });
      report(child.status === 0, `${kind}('${specifier}') of the packed tarball`, child.stderr);
    }
  }
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
if (failed > 0) {
  process.stderr.write(`publish check: ${failed} problem(s)\n`);
  process.exit(1);
}
process.stderr.write('publish check: every package is clean\n');
