import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { binPath, runCli, scaffold, temporaryFolder } from './cli-helpers.js';

let folder: Awaited<ReturnType<typeof temporaryFolder>>;
let project: string;
beforeAll(async () => {
  folder = await temporaryFolder('first-hour');
  project = await scaffold(folder.path, 'scratch-detector', 'A01');
}, 120_000);
afterAll(() => folder.remove());

/** What bash completes for the words of a command line (the last word being typed). */
function bashCompletes(script: string, words: string[]): string[] {
  const program = `${script}\nCOMP_WORDS=(${words.map((word) => `'${word}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _procvision; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const run = spawnSync('bash', ['-c', program], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.split('\n').filter((line) => line !== '');
}

describe('procvision completion', () => {
  it('bash completes commands, runner subcommands and each command’s flags', async () => {
    const run = await runCli(['completion', 'bash']);
    expect(run.code).toBe(0);
    expect(bashCompletes(run.stdout, ['procvision', 'ru'])).toEqual(['run', 'runner']);
    expect(bashCompletes(run.stdout, ['procvision', 'runner', 'ins'])).toEqual(['install']);
    expect(bashCompletes(run.stdout, ['procvision', 'package', '--ta'])).toEqual(['--target']);
    expect(bashCompletes(run.stdout, ['procvision', 'runner', 'exec', '--pi'])).toEqual(['--pid']);
    expect(bashCompletes(run.stdout, ['procvision', 'fleet', 'plan', '--des'])).toEqual(['--desired']);
  }, 60_000);

  it('zsh and fish scripts name every command; another shell is a usage error', async () => {
    const zsh = await runCli(['completion', 'zsh']);
    expect(zsh.stdout).toMatch(/^#compdef procvision\n/);
    expect(zsh.stdout).toContain('bashcompinit');
    const fish = await runCli(['completion', 'fish']);
    const fishCommands = /complete -c procvision -n '__fish_use_subcommand' -a '([^']+)'/.exec(fish.stdout)?.[1]?.split(' ') ?? [];
    for (const command of ['init', 'validate', 'run', 'eval', 'package', 'info', 'completion', 'doctor', 'runner', 'fleet', 'help'])
      expect(fishCommands).toContain(command);
    expect(fish.stdout).toContain('-l target');
    const other = await runCli(['completion', 'powershell']);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain("no completion for shell 'powershell': choose bash, zsh, fish");
  }, 60_000);
});

describe('procvision info', () => {
  it('lists PIDs, steps and params with their schemas, from the current folder by default', async () => {
    const run = await runCli(['info'], { cwd: project });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('scratch-detector 1.0.0');
    expect(run.stdout).toContain('supported PIDs: A01');
    expect(run.stdout).toMatch(/step 1: /);
    expect(run.stdout).toMatch(/ {2}dark_threshold \(int, 0\.\.255, default \d+\)/);
    const json = (await runCli(['info', project, '--json'])).json<{ info: { steps: Array<{ params: Array<{ key: string; type: string }> }> } }>();
    expect(json.info.steps[0]?.params.map((param) => param.key)).toContain('dark_threshold');
  }, 120_000);
});

describe('the project argument defaults to the current folder', () => {
  it('run without a project runs the one in the current folder', async () => {
    const run = await runCli(['run', '--pid', 'A01', '--image', 'samples/ok.png', '--json'], { cwd: project });
    expect(run.code, run.stderr).toBe(0);
    expect(run.json()).toMatchObject({ status: 'OK' });
  }, 120_000);
});

describe('colour on a terminal only', () => {
  const validate = (env: Record<string, string>) => runCli(['validate', project], { env, unset: ['NO_COLOR', 'FORCE_COLOR', 'CI'] });
  it('piped output has no escape codes, also with CI set; FORCE_COLOR colours it; NO_COLOR wins over a terminal', async () => {
    const piped = await validate({ CI: 'true' });
    expect(piped.code).toBe(0);
    expect(piped.stdout).not.toContain('\u001b[');
    const forced = await validate({ FORCE_COLOR: '1' });
    expect(forced.stdout).toContain('\u001b[32mPASS');
    // A pseudo-terminal is out of reach without a native module: the rule itself is checked.
    const { colourEnabled } = await import('../src/output.js');
    expect(colourEnabled({ isTTY: true }, {})).toBe(true);
    expect(colourEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colourEnabled({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(colourEnabled({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(false);
    expect(colourEnabled({ isTTY: false }, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(true);
    expect(colourEnabled({ isTTY: false }, { CI: 'true' })).toBe(false);
  }, 120_000);

  it('--json is never coloured', async () => {
    const run = await runCli(['validate', project, '--json'], { env: { FORCE_COLOR: '1' } });
    expect(run.stdout).not.toContain('\u001b[');
    expect(binPath).toContain(join('cli', 'dist'));
  }, 120_000);
});

describe('package --source-maps', () => {
  const mapOf = async (kind: string | undefined) => {
    const { extractDeliveryZip } = await import('@procvision/packager');
    const { existsSync, readFileSync, mkdtempSync } = await import('node:fs');
    const output = join(folder.path, `zip-${kind ?? 'default'}`);
    const run = await runCli(['package', project, '-o', output, '--skip-deps', '--json', ...(kind === undefined ? [] : ['--source-maps', kind])]);
    expect(run.code, run.stderr).toBe(0);
    const document = run.json<{ source_maps: string; zips: Array<{ path: string }> }>();
    const extracted = await extractDeliveryZip(document.zips[0]!.path, mkdtempSync(join(folder.path, 'x-')));
    const map = join(extracted.stagingDir, 'dist', 'main.js.map');
    return {
      kind: document.source_maps,
      map: existsSync(map) ? (JSON.parse(readFileSync(map, 'utf8')) as { sources: string[]; sourcesContent?: unknown }) : undefined,
    };
  };

  it('ships line maps without the TypeScript sources by default; full embeds them, none ships no map', async () => {
    const lines = await mapOf(undefined);
    expect(lines.kind).toBe('lines');
    expect(lines.map?.sources.some((source) => source.endsWith('src/main.ts'))).toBe(true);
    expect(lines.map?.sourcesContent).toBeUndefined();
    const full = await mapOf('full');
    expect(full.map?.sourcesContent).toEqual([expect.stringContaining('extends BaseAlgorithm')]);
    const none = await mapOf('none');
    expect(none.map).toBeUndefined();
  }, 300_000);
});
