import { readFile, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scaffold, temporaryFolder } from './cli-helpers.js';

// The typescript this package is built with stands in for the one `npm install` puts into a
// scaffolded project (its devDependency).
const typescriptRoot = dirname(fileURLToPath(import.meta.resolve('typescript/package.json')));
const sdkVersion = (JSON.parse(await readFile(new URL('../../sdk/package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('types are checked when the project has TypeScript', () => {
  let folder: Awaited<ReturnType<typeof temporaryFolder>>;
  let project: string;
  let line: number;

  beforeAll(async () => {
    folder = await temporaryFolder('types');
    project = await scaffold(folder.path, 'typed', 'A01');
  }, 120_000);
  afterAll(() => folder.remove());

  it('the scaffold depends on the CLI SDK version and on TypeScript, with a typecheck script', async () => {
    const packageJson = JSON.parse(await readFile(join(project, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
      scripts: Record<string, string>;
    };
    expect(packageJson.dependencies['@procvision/sdk']).toBe(`^${sdkVersion}`);
    expect(packageJson.devDependencies['typescript']).toMatch(/^[~^]5\./);
    expect(packageJson.scripts['typecheck']).toBe('tsc --noEmit -p tsconfig.json');
  });

  it('validate says types are not checked while typescript is not installed', async () => {
    const run = await runCli(['validate', project, '--json']);
    expect(run.code).toBe(0);
    const types = run.json<{ checks: Array<{ name: string; result: string; message: string }> }>().checks.find((check) => check.name === 'types');
    expect(types).toMatchObject({ result: 'PASS', message: expect.stringContaining('not checked: typescript is not installed') });
  }, 120_000);

  it('validate passes the untouched scaffold with typescript installed', async () => {
    await symlink(typescriptRoot, join(project, 'node_modules', 'typescript'), 'dir');
    const run = await runCli(['validate', project]);
    expect(run.stdout).toMatch(/PASS +types: tsc --noEmit: no type errors/);
    expect(run.code).toBe(0);
  }, 180_000);

  it('a type error fails validate and package (exit 1) naming src/main.ts:line', async () => {
    const source = await readFile(join(project, 'src', 'main.ts'), 'utf8');
    const anchor = "    const threshold = Number(userParams['dark_threshold']);";
    line = source.split('\n').indexOf(anchor) + 1;
    await writeFile(
      join(project, 'src', 'main.ts'),
      source.replace(anchor, `    const darkArea: string = 42;\n${anchor.replace(');', ') + darkArea.length;')}`),
    );
    const validate = await runCli(['validate', project]);
    expect(validate.code).toBe(1);
    expect(validate.stdout).toMatch(new RegExp(`FAIL +types: tsc --noEmit: 1 type error\\(s\\): src/main.ts:${line}:\\d+: TS2322`));
    const packaged = await runCli(['package', project, '-o', join(folder.path, 'release'), '--skip-deps']);
    expect(packaged.code).toBe(1);
    expect(packaged.stderr).toContain(`src/main.ts:${line}:`);
    expect(packaged.stderr).toContain('no zip built');
  }, 240_000);
});
