#!/usr/bin/env node
// API reports: what each entry point of each package exports (name and kind), checked in at
// packages/<package>/api-report/<entry>.api.txt. Without arguments: exit 1 naming every export
// added or removed since the report (a new export is a decision: run `pnpm api:update` and
// commit the report with the change). `--update` rewrites the reports.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createProgram, entryPoints, exportsOf, root } from './lib/entry-points.mjs';

const update = process.argv.includes('--update');
const entries = entryPoints();
const program = createProgram(entries.map((entry) => entry.source));
const written = new Set();
const problems = [];
for (const entry of entries) {
  const name = entry.subpath === '.' ? 'index' : entry.subpath.replace(/^\.\//, '').replaceAll('/', '-');
  const reportPath = join(root, 'packages', entry.packageDir, 'api-report', `${name}.api.txt`);
  written.add(reportPath);
  const lines = exportsOf(program, entry.source).map(
    ({ name: exported, kind, typeOnly }) => `${typeOnly && !['interface', 'type'].includes(kind) ? 'type-only ' : ''}${kind} ${exported}`,
  );
  const report = `# ${entry.packageName}${entry.subpath === '.' ? '' : entry.subpath.slice(1)}: ${lines.length} exports\n${lines.join('\n')}\n`;
  if (update) {
    mkdirSync(join(root, 'packages', entry.packageDir, 'api-report'), { recursive: true });
    writeFileSync(reportPath, report);
    continue;
  }
  const relative = reportPath.slice(root.length + 1);
  if (!existsSync(reportPath)) {
    problems.push(`${relative}: missing (${lines.length} exports)`);
    continue;
  }
  const before = new Set(readFileSync(reportPath, 'utf8').split('\n').slice(1).filter(Boolean));
  const now = new Set(lines);
  for (const line of now) if (!before.has(line)) problems.push(`${relative}: new export not in the report: ${line}`);
  for (const line of before) if (!now.has(line)) problems.push(`${relative}: export gone or changed: ${line}`);
}
// Reports of entry points that no longer exist.
for (const dir of readdirSync(join(root, 'packages'))) {
  const folder = join(root, 'packages', dir, 'api-report');
  if (!existsSync(folder)) continue;
  for (const file of readdirSync(folder)) {
    const path = join(folder, file);
    if (written.has(path)) continue;
    if (update) rmSync(path);
    else problems.push(`${path.slice(root.length + 1)}: report of an entry point that does not exist`);
  }
}
if (update) {
  console.log(`check-api: wrote ${written.size} API reports`);
} else if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  console.error('check-api: the public API changed. If that is intended, run `pnpm api:update` and commit the reports with the change.');
  process.exit(1);
} else {
  console.log(`check-api: ${written.size} entry points match their API reports`);
}
