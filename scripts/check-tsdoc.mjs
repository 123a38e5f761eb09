#!/usr/bin/env node
// Lists every export of each package's entry points (its package.json exports) that has no TSDoc comment.
// Exit 1 when any is missing (run by CI after the build).
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '..');
const entries = [];
for (const name of readdirSync(join(root, 'packages'))) {
  // Every entry point the package exports: ./dist/<x>.js is built from src/<x>.ts.
  const manifest = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'));
  for (const target of Object.values(manifest.exports ?? {})) {
    const built = typeof target === 'string' ? target : target.import;
    const match = typeof built === 'string' && /^\.\/dist\/(.+)\.js$/.exec(built);
    const path = match && join(root, 'packages', name, 'src', `${match[1]}.ts`);
    if (path && existsSync(path)) entries.push(path);
  }
}
const program = ts.createProgram(entries, {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2023,
  strict: true,
  skipLibCheck: true,
  noEmit: true,
});
const checker = program.getTypeChecker();
let missing = 0;
for (const entry of entries) {
  const source = program.getSourceFile(entry);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) continue;
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const documented =
      symbol.getDocumentationComment(checker).length > 0 ||
      (symbol.declarations ?? []).some((declaration) => ts.getJSDocCommentsAndTags(declaration).length > 0);
    if (!documented) {
      missing += 1;
      console.log(`${entry.slice(root.length + 1)}: ${exported.getName()} has no TSDoc`);
    }
  }
}
console.log(missing === 0 ? 'tsdoc: every export is documented' : `tsdoc: ${missing} export(s) without TSDoc`);
process.exit(missing === 0 ? 0 : 1);
