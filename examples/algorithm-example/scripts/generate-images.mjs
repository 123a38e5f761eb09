#!/usr/bin/env node
// Writes samples/ok.png and samples/ng.png (run: pnpm images).
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderSamplePng } from './sample-images.mjs';

const folder = fileURLToPath(new URL('../samples/', import.meta.url));
mkdirSync(folder, { recursive: true });
for (const kind of ['ok', 'ng']) {
  const path = `${folder}${kind}.png`;
  writeFileSync(path, await renderSamplePng(kind));
  process.stderr.write(`wrote ${path}\n`);
}
