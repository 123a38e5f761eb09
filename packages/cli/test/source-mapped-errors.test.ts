import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scaffold, temporaryFolder } from './cli-helpers.js';

// A scaffold whose execute() throws a TypeError at a known line of src/main.ts, as an author's
// bug would: the stack, mapped through the source maps, must name that line.
describe('an error thrown in execute points at the line of src/main.ts', () => {
  let folder: Awaited<ReturnType<typeof temporaryFolder>>;
  let project: string;
  let line: number;

  beforeAll(async () => {
    folder = await temporaryFolder('thrown');
    project = await scaffold(folder.path, 'thrower', 'A01');
    const source = await readFile(join(project, 'src', 'main.ts'), 'utf8');
    const anchor = "    const threshold = Number(userParams['dark_threshold']);";
    expect(source).toContain(anchor);
    const lines = source.split('\n');
    line = lines.indexOf(anchor) + 2;
    const broken = source.replace(
      anchor,
      `    const lighting = (this as unknown as { model?: { gain: number } }).model;\n    const gain = lighting!.gain;\n${anchor.replace(');', ') + gain;')}`,
    );
    await writeFile(join(project, 'src', 'main.ts'), broken);
  }, 120_000);
  afterAll(() => folder.remove());

  it('validate fails (exit 1) naming src/main.ts:line', async () => {
    const run = await runCli(['validate', project]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/FAIL +smoke execute step 1 .*threw on a generated grey image/);
    expect(run.stdout).toContain(`src/main.ts:${line}:`);
    expect(run.stdout).not.toContain('adapter-bin.js');
  }, 120_000);

  it('run --debug prints the mapped stack', async () => {
    const run = await runCli(['run', project, '--pid', 'A01', '--image', join(project, 'samples', 'ng.png'), '--debug']);
    expect(run.stdout + run.stderr).toMatch(/execute: ERROR 9999 - TypeError: Cannot read properties of undefined \(reading 'gain'\)/);
    expect(run.stderr).toContain(`src/main.ts:${line}:`);
  }, 120_000);

  it('run --report puts the mapped stack into report.html and report.json', async () => {
    const report = join(folder.path, 'report');
    const run = await runCli(['run', project, '--pid', 'A01', '--image', join(project, 'samples', 'ng.png'), '--report', report]);
    expect(run.code).toBe(1);
    const html = await readFile(join(report, 'report.html'), 'utf8');
    expect(html).toContain('<h2>Thrown</h2>');
    expect(html).toContain(`src/main.ts:${line}:`);
    expect(html).not.toContain('adapter-bin.js');
    const json = JSON.parse(await readFile(join(report, 'report.json'), 'utf8')) as { thrown: string[]; effective_params: Record<string, unknown> };
    expect(json.thrown.join('\n')).toContain(`src/main.ts:${line}:`);
    // The params the algorithm got: the scaffold's defaults, though none were given.
    expect(json.effective_params).toMatchObject({ dark_threshold: expect.any(Number) });
  }, 120_000);
});
