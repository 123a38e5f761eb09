#!/usr/bin/env node
// Lists every export of each package's entry points (its package.json exports) that has no TSDoc comment.
// Exit 1 when any is missing.
import ts from 'typescript';
import { createProgram, entryPoints, exportsOf, root } from './lib/entry-points.mjs';

const entries = entryPoints();
const program = createProgram(entries.map((entry) => entry.source));
let missing = 0;
let checked = 0;
for (const entry of entries) {
  for (const { name, symbol, checker } of exportsOf(program, entry.source)) {
    checked += 1;
    const documented =
      symbol.getDocumentationComment(checker).length > 0 ||
      (symbol.declarations ?? []).some((declaration) => ts.getJSDocCommentsAndTags(declaration).length > 0);
    if (!documented) {
      missing += 1;
      console.log(`${entry.source.slice(root.length + 1)}: ${name} has no TSDoc`);
    }
  }
}
console.log(missing === 0 ? `tsdoc: all ${checked} exports of ${entries.length} entry points are documented` : `tsdoc: ${missing} export(s) without TSDoc`);
process.exit(missing === 0 ? 0 : 1);
