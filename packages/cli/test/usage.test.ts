import { describe, expect, it } from 'vitest';
import { runCli } from './cli-helpers.js';

describe('procvision usage', () => {
  it('prints help and exits 0', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    for (const command of ['init', 'validate', 'run', 'package', 'runner']) expect(run.stdout).toContain(command);
  });

  it('prints the version', async () => {
    const run = await runCli(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('exits 2 with a reason and an example for an unknown command', async () => {
    const run = await runCli(['frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/error: unknown command 'frobnicate'/);
    expect(run.stderr).toMatch(/example: procvision /);
  });

  it('exits 2 for a missing required option, as one JSON document with --json', async () => {
    const run = await runCli(['run', '.', '--image', 'x.png', '--json']);
    expect(run.code).toBe(2);
    const document = run.json<{ error: { code: string; message: string; example: string } }>();
    expect(document.error.message).toContain("required option '--pid <pid>'");
    expect(document.error.example).toContain('procvision run');
  });

  it('exits 2 for a bad option value', async () => {
    const run = await runCli(['run', '.', '--pid', 'A01', '--image', 'x.png', '--step', 'zero']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('expected a positive integer');
  });

  it('exits 2 for an invalid package name in init', async () => {
    const run = await runCli(['init', 'Not Valid', '--json']);
    expect(run.code).toBe(2);
    expect(run.json<{ error: { message: string } }>().error.message).toContain("invalid name 'Not Valid'");
  });

  it('shows stack traces only with --debug', async () => {
    const plain = await runCli(['run', '/nonexistent-project', '--pid', 'A01', '--image', 'x.png']);
    const debug = await runCli(['run', '/nonexistent-project', '--pid', 'A01', '--image', 'x.png', '--debug']);
    expect(plain.code).toBe(2);
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });
});
