#!/usr/bin/env node
// `pnpm procvision ...` from a clone: the built CLI (packages/cli/dist/bin.js), run in the folder
// pnpm was started from (INIT_CWD), so relative paths mean what they say.
import { existsSync } from 'node:fs';

const bin = new URL('../packages/cli/dist/bin.js', import.meta.url);
if (!existsSync(bin)) {
  process.stderr.write('procvision: the CLI is not built yet; run `npx -y pnpm@10 build` in the clone first\n');
  process.exit(1);
}
if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
await import(bin.href);
