#!/usr/bin/env node
// The import graph of every package's src/ (madge, over TypeScript with type-only imports
// counted): no import circle anywhere, and the CLI's layering holds (the command table imports
// the commands, lazily; a command never imports the table). A lazy `await import()` is not a
// circle edge: the table loads each command on demand, and the command never loads the table.
// Exit 1 listing each circle and each layering breach.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import madge from 'madge';

const root = resolve(import.meta.dirname, '..');
const sources = readdirSync(join(root, 'packages'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => join(root, 'packages', entry.name, 'src'));

const graph = await madge(sources, {
  baseDir: join(root, 'packages'),
  fileExtensions: ['ts'],
  tsConfig: join(root, 'tsconfig.base.json'),
  detectiveOptions: { ts: { skipTypeImports: false, skipAsyncImports: true } },
});

const problems = graph.circular().map((circle) => `import circle: ${[...circle, circle[0]].join(' -> ')}`);
for (const [file, imports] of Object.entries(graph.obj())) {
  if (!file.startsWith('cli/src/commands/')) continue;
  for (const target of imports) {
    if (target.startsWith('cli/src/command-table/'))
      problems.push(`layering: ${file} imports ${target}; a command declares its own options (the table imports the command, never the reverse)`);
  }
}
if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  process.exit(1);
}
console.log(`check-cycles: ${Object.keys(graph.obj()).length} modules, no import circle, CLI layering holds`);
