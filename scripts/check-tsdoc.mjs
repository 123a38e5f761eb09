#!/usr/bin/env node
// Lists every export of each package's entry points that has no TSDoc comment.
// Exit 1 when any is missing (run by CI after the build).
import { readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '..');
const entries = [];
for (const name of readdirSync(join(root, 'packages'))) {
  for (const file of ['index.ts']) {
    const path = join(root, 'packages', name, 'src', file);
    if (existsSync(path)) entries.push(path);
  }
}
const program = ts.createProgram(entries, { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2023, strict: true, skipLibCheck: true, noEmit: true });
const checker = program.getTypeChecker();
let missing = 0;
for (const entry of entries) {
  const source = program.getSourceFile(entry);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) continue;
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const documented = symbol.getDocumentationComment(checker).length > 0 || (symbol.declarations ?? []).some((declaration) => ts.getJSDocCommentsAndTags(declaration).length > 0);
    if (!documented) {
      missing += 1;
      console.log(`${entry.slice(root.length + 1)}: ${exported.getName()} has no TSDoc`);
    }
  }
}
console.log(missing === 0 ? 'tsdoc: every export is documented' : `tsdoc: ${missing} export(s) without TSDoc`);
process.exit(missing === 0 ? 0 : 1);
