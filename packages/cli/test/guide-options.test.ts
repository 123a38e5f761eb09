import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scaffold, temporaryFolder } from './cli-helpers.js';

describe('run --guide-image / --guide-info / --step-desc (Python v0.3 fields)', () => {
  let folder: Awaited<ReturnType<typeof temporaryFolder>>;
  let project = '';
  beforeAll(async () => {
    folder = await temporaryFolder('guide');
    project = await scaffold(folder.path, 'guided', 'A01');
  });
  afterAll(() => folder.remove());

  const base = () => ['run', project, '--pid', 'A01', '--image', join(project, 'samples/ok.png')];

  it('bad input is exit 2 naming the flag or file, before anything starts', async () => {
    const missing = await runCli([...base(), '--guide-info', `@${join(folder.path, 'nope.json')}`]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.json');
    writeFileSync(join(folder.path, 'bad.json'), '{"a": ');
    const bad = await runCli([...base(), '--guide-info', `@${join(folder.path, 'bad.json')}`]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.json is not valid JSON/);
    const inline = await runCli([...base(), '--guide-info', '[1,']);
    expect(inline.code).toBe(2);
    expect(inline.stderr).toContain('--guide-info is not valid JSON');
    const image = await runCli([...base(), '--guide-image', join(folder.path, 'missing.png')]);
    expect(image.code).toBe(2);
    expect(image.stderr).toContain('--guide-image');
  });

  it('a protocol-1 (TypeScript) algorithm runs and reports the guide fields as ignored', async () => {
    writeFileSync(join(folder.path, 'guide.json'), JSON.stringify([{ label: 'screw' }]));
    const run = await runCli([
      ...base(),
      '--guide-image',
      join(project, 'samples/ng.png'),
      '--guide-info',
      `@${join(folder.path, 'guide.json')}`,
      '--step-desc',
      'check',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const document = run.json<{ status: string; warnings: string[] }>();
    expect(document.status).toBe('OK');
    expect(document.warnings.filter((warning) => warning.includes('ignored'))).toHaveLength(3);
  });
});
