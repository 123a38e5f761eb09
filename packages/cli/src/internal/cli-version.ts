import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** The version of this package, read from its package.json next to dist/. */
export function cliVersion(): string {
  if (cached !== undefined) return cached;
  const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  cached = packageJson.version;
  return cached;
}
