#!/usr/bin/env node
// Packs every publishable package and checks the tarball the registry would get:
// publint --strict (package.json, exports, files) and attw (types resolve for ESM consumers).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkPrebuilds } from './check-prebuilds.mjs';

const root = resolve(import.meta.dirname, '..');
const packagesDir = join(root, 'packages');
const outDir = mkdtempSync(join(tmpdir(), 'pv-pack-'));
const bin = (name) => join(root, 'node_modules', '.bin', name);
let failed = 0;

try {
  for (const dir of readdirSync(packagesDir)) {
    const packageDir = join(packagesDir, dir);
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
    if (manifest.private) continue;
    const before = new Set(readdirSync(outDir));
    execFileSync(process.execPath, [process.env.npm_execpath ?? bin('pnpm'), 'pack', '--pack-destination', outDir], { cwd: packageDir, stdio: ['ignore', 'ignore', 'inherit'] });
    const tarball = readdirSync(outDir).find((file) => !before.has(file));
    if (!tarball) throw new Error(`pnpm pack produced no tarball for ${manifest.name}`);
    const tarballPath = join(outDir, tarball);
    if (manifest.name === '@procvision/shm') {
      const problems = checkPrebuilds(tarballPath);
      failed += problems.length;
      for (const problem of problems) process.stderr.write(`FAIL prebuilds ${problem}\n`);
    }
    for (const [tool, args] of [
      ['publint', ['--strict', tarballPath]],
      ['attw', [tarballPath, '--profile', 'esm-only', '--format', 'ascii']],
    ]) {
      try {
        execFileSync(bin(tool), args, { cwd: packageDir, stdio: 'pipe' });
        process.stderr.write(`ok   ${tool} ${manifest.name}\n`);
      } catch (error) {
        failed += 1;
        process.stderr.write(`FAIL ${tool} ${manifest.name}\n${error.stdout ?? ''}${error.stderr ?? ''}\n`);
      }
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
