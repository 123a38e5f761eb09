import { copyFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scaffold, temporaryFolder } from './cli-helpers.js';

const example = fileURLToPath(new URL('../../../examples/algorithm-example', import.meta.url));
const samples = join(example, 'samples');
const roi = JSON.stringify({ roi: { x: 100, y: 100, width: 440, height: 280 } });
/** A region that leaves out the NG sample's stain: every image passes. */
const blindRoi = JSON.stringify({ roi: { x: 400, y: 300, width: 100, height: 60 } });

interface EvalJson {
  images: number;
  misses: number;
  confusion: { expected: Record<'OK' | 'NG', Record<'OK' | 'NG' | 'ERROR', number>> };
  ng: { precision: number | null; recall: number | null };
  execute: { p50_ms: number | null; p99_ms: number | null };
  results: Array<{ file: string; expected: string; got: string; match: boolean; rects?: Record<string, number> }>;
  baseline?: { changed: Array<{ file: string; before: string; after: string }> };
  report?: { html: string };
}

describe('procvision eval (examples/algorithm-example)', () => {
  let folder: { path: string; remove(): Promise<void> };
  let golden: string;

  beforeAll(async () => {
    folder = await temporaryFolder('eval');
    golden = join(folder.path, 'golden');
    await mkdir(join(golden, 'ok'), { recursive: true });
    await mkdir(join(golden, 'ng'), { recursive: true });
    await copyFile(join(samples, 'ok.png'), join(golden, 'ok', 'board-1.png'));
    await copyFile(join(samples, 'ok.png'), join(golden, 'ok', 'board-2.png'));
    await copyFile(join(samples, 'ng.png'), join(golden, 'ng', 'board-3.png'));
    await writeFile(join(golden, 'ok', 'notes.txt'), 'not an image: left out\n');
  });
  afterAll(async () => folder.remove());

  it('all labels match: the confusion table in JSON, NG precision and recall, exit 0', async () => {
    const run = await runCli(['eval', example, golden, '--params', roi, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const document = run.json<EvalJson>();
    expect(document.images).toBe(3);
    expect(document.confusion.expected.OK).toEqual({ OK: 2, NG: 0, ERROR: 0 });
    expect(document.confusion.expected.NG).toEqual({ OK: 0, NG: 1, ERROR: 0 });
    expect(document.ng).toEqual({ precision: 1, recall: 1 });
    expect(document.execute.p50_ms).toBeGreaterThan(0);
    await writeFile(join(folder.path, 'baseline.json'), run.stdout);

    const human = await runCli(['eval', example, golden, '--params', roi]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/expected OK\s+2\s+0\s+0/);
    expect(human.stdout).toMatch(/expected NG\s+0\s+1\s+0/);
    expect(human.stdout).toContain('NG precision 1.000, recall 1.000');
    expect(human.stdout).toMatch(/execute p50 [\d.]+ ms, p99 [\d.]+ ms/);
  }, 180_000);

  it('a wrong label is a miss: exit 1, and the report shows the miss annotated', async () => {
    const wrong = join(folder.path, 'wrong');
    await mkdir(join(wrong, 'ok'), { recursive: true });
    await copyFile(join(samples, 'ok.png'), join(wrong, 'ok', 'good.png'));
    await copyFile(join(samples, 'ng.png'), join(wrong, 'ok', 'labelled-ok.png'));
    const reportDir = join(folder.path, 'report');
    const run = await runCli(['eval', example, wrong, '--params', roi, '--report', reportDir, '--json']);
    expect(run.code, run.stderr).toBe(1);
    const document = run.json<EvalJson>();
    expect(document.misses).toBe(1);
    expect(document.confusion.expected.OK).toEqual({ OK: 1, NG: 1, ERROR: 0 });
    expect(document.results.find((result) => !result.match)?.file).toBe('ok/labelled-ok.png');
    const html = await readFile(join(reportDir, 'index.html'), 'utf8');
    expect(html).toContain('ok/labelled-ok.png');
    const [missFolder] = readdirSync(join(reportDir, 'misses'));
    expect(existsSync(join(reportDir, 'misses', missFolder as string, 'annotated.png'))).toBe(true);
    expect(html).toContain(`misses/${missFolder}/annotated.png`);

    const allowed = await runCli(['eval', example, wrong, '--params', roi, '--max-misses', '1']);
    expect(allowed.code, allowed.stderr).toBe(0);
  }, 180_000);

  it('--baseline lists each image whose verdict changed and exits 1', async () => {
    const run = await runCli(['eval', example, golden, '--params', blindRoi, '--baseline', join(folder.path, 'baseline.json'), '--max-misses', '5', '--json']);
    expect(run.code, run.stderr).toBe(1);
    expect(run.json<EvalJson>().baseline?.changed).toEqual([{ file: 'ng/board-3.png', before: 'NG', after: 'OK' }]);
    const human = await runCli(['eval', example, golden, '--params', blindRoi, '--baseline', join(folder.path, 'baseline.json'), '--max-misses', '5']);
    expect(human.stdout).toContain('changed ng/board-3.png: NG -> OK');
  }, 180_000);

  it('labels.json: verdicts and defect rects matched by IoU', async () => {
    const labelled = join(folder.path, 'labelled');
    await mkdir(labelled, { recursive: true });
    await copyFile(join(samples, 'ng.png'), join(labelled, 'stain.png'));
    await copyFile(join(samples, 'ng.png'), join(labelled, 'stain-elsewhere.png'));
    // The stain is an ellipse around (320, 240), 36 x 24 pixels.
    const labels = {
      'stain.png': { verdict: 'NG', defect_rects: [{ x: 302, y: 228, width: 37, height: 25 }] },
      'stain-elsewhere.png': { verdict: 'NG', defect_rects: [{ x: 120, y: 120, width: 30, height: 30 }] },
    };
    await writeFile(join(labelled, 'labels.json'), JSON.stringify(labels));
    const run = await runCli(['eval', example, labelled, '--params', roi, '--json']);
    const document = run.json<EvalJson>();
    expect(document.results.map((result) => [result.file, result.match, result.rects])).toEqual([
      ['stain-elsewhere.png', false, { matched: 0, moved: 0, lost: 1, added: 1 }],
      ['stain.png', true, { matched: 1, moved: 0, lost: 0, added: 0 }],
    ]);
    expect(run.code).toBe(1);

    await writeFile(join(labelled, 'labels.json'), JSON.stringify({ 'missing.png': 'OK' }));
    const bad = await runCli(['eval', example, labelled]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('missing.png');
    await writeFile(join(labelled, 'labels.json'), JSON.stringify({ 'stain.png': 'MAYBE' }));
    const invalid = await runCli(['eval', example, labelled]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('stain.png');
  }, 180_000);

  it('a missing or empty golden-set folder is a usage error', async () => {
    const missing = await runCli(['eval', example, join(folder.path, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('does not exist');
    const empty = join(folder.path, 'empty');
    await mkdir(join(empty, 'ok'), { recursive: true });
    const none = await runCli(['eval', example, empty]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('holds no images');
  }, 180_000);

  it('a scaffolded project has samples/ok, samples/ng and an eval script that passes', async () => {
    const project = await scaffold(folder.path, 'golden-demo', 'A01');
    const scripts = (JSON.parse(await readFile(join(project, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts['eval']).toBe('procvision eval . samples --pid A01');
    const run = await runCli(['eval', 'samples', '--pid', 'A01', '--json'], { cwd: project });
    expect(run.code, run.stderr).toBe(0);
    expect(run.json<EvalJson>().confusion.expected).toEqual({ OK: { OK: 1, NG: 0, ERROR: 0 }, NG: { OK: 0, NG: 1, ERROR: 0 } });
    await rename(join(project, 'samples', 'ng', 'part-1.png'), join(project, 'samples', 'ok', 'part-2.png'));
    expect((await runCli(['eval', '.', 'samples'], { cwd: project })).code).toBe(1);
  }, 180_000);
});
