import { generateKeyPairSync } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scaffold, temporaryFolder } from './cli-helpers.js';

interface ErrorDocument {
  error: { code: string | null; message: string; example: string | null };
}
interface ValidateDocument {
  summary: { status: string; failed: number };
  checks: Array<{ name: string; result: string; message: string }>;
}

const failedCheck = (document: ValidateDocument, name: string) => document.checks.find((check) => check.name === name && check.result === 'FAIL');

async function edit(file: string, from: string | RegExp, to: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  const changed = text.replace(from, to);
  if (changed === text) throw new Error(`nothing to replace in ${file}`);
  await writeFile(file, changed);
}

describe('bad input', () => {
  let folder: Awaited<ReturnType<typeof temporaryFolder>>;
  let project: string;
  let image: string;

  beforeAll(async () => {
    folder = await temporaryFolder('bad');
    project = await scaffold(folder.path, 'good');
    image = join(project, 'samples/ok.png');
  });
  afterAll(() => folder.remove());

  it('a folder without manifest.json: exit 2 for validate and run', async () => {
    const empty = join(folder.path, 'empty');
    await mkdir(empty);
    const validate = await runCli(['validate', empty, '--json']);
    expect(validate.code).toBe(2);
    expect(validate.json<ErrorDocument>().error).toMatchObject({ code: '2002' });
    expect(validate.json<ErrorDocument>().error.message).toContain('no manifest.json');
    const run = await runCli(['run', empty, '--pid', 'A01', '--image', image]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no manifest.json at .*empty.*procvision init/);
    expect(run.stderr).toMatch(/example: procvision run/);
  });

  it('--params that is not JSON, or not an object: exit 2 with 1006', async () => {
    const broken = await runCli(['run', project, '--pid', 'A01', '--image', image, '--params', '{threshold: 1}', '--json']);
    expect(broken.code).toBe(2);
    expect(broken.json<ErrorDocument>().error).toMatchObject({ code: '1006' });
    expect(broken.json<ErrorDocument>().error.message).toContain('--params is not valid JSON');
    const array = await runCli(['run', project, '--pid', 'A01', '--image', image, '--params', '[1]']);
    expect(array.code).toBe(2);
    expect(array.stderr).toContain('--params must be a JSON object');
  });

  it('params outside the step schema: exit 2 with 1006 naming the key', async () => {
    const run = await runCli(['run', project, '--pid', 'A01', '--image', image, '--params', '{"dark_threshold": 999}', '--json']);
    expect(run.code).toBe(2);
    const { error } = run.json<ErrorDocument>();
    expect(error.code).toBe('1006');
    expect(error.message).toContain('dark_threshold');
  });

  it('an unknown PID: exit 2 naming the supported ones', async () => {
    const run = await runCli(['run', project, '--pid', 'Z99', '--image', image, '--json']);
    expect(run.code).toBe(2);
    const { error } = run.json<ErrorDocument>();
    expect(error.code).toBe('1001');
    expect(error.message).toContain("unknown PID 'Z99'");
    expect(error.message).toContain('A01, A02');
  });

  it('an unknown step: exit 2', async () => {
    const run = await runCli(['run', project, '--pid', 'A01', '--image', image, '--step', '7', '--json']);
    expect(run.code).toBe(2);
    expect(run.json<ErrorDocument>().error.message).toContain('step_index 7');
  });

  it('a missing image and a file that is not an image: exit 2', async () => {
    const missing = await runCli(['run', project, '--pid', 'A01', '--image', join(folder.path, 'nope.png'), '--json']);
    expect(missing.code).toBe(2);
    expect(missing.json<ErrorDocument>().error.message).toMatch(/image file .*nope.png does not exist/);
    const text = join(folder.path, 'not-an-image.png');
    await writeFile(text, 'hello, I am text');
    const notImage = await runCli(['run', project, '--pid', 'A01', '--image', text, '--json']);
    expect(notImage.code).toBe(2);
    expect(notImage.json<ErrorDocument>().error.message).toMatch(/not-an-image.png is not an image/);
  });

  it('--report naming a file, not a folder: exit 2 before the step runs', async () => {
    const file = join(folder.path, 'report-is-a-file');
    await writeFile(file, 'x');
    const run = await runCli(['run', project, '--pid', 'A01', '--image', image, '--report', file, '--json']);
    expect(run.code).toBe(2);
    expect(run.json<ErrorDocument>().error.message).toMatch(/--report .*report-is-a-file is a file/);
  });

  it('an empty image file and a folder given as --image: exit 2 naming the path', async () => {
    const empty = join(folder.path, 'empty.png');
    await writeFile(empty, '');
    const emptyRun = await runCli(['run', project, '--pid', 'A01', '--image', empty, '--json']);
    expect(emptyRun.code).toBe(2);
    expect(emptyRun.json<ErrorDocument>().error.message).toMatch(/empty.png is empty/);
    const folderRun = await runCli(['run', project, '--pid', 'A01', '--image', folder.path, '--json']);
    expect(folderRun.code).toBe(2);
    expect(folderRun.json<ErrorDocument>().error.message).toMatch(/is a folder/);
  });

  it('a truncated PNG (a valid header, pixel data cut off): exit 2 naming the file, before the step runs', async () => {
    const whole = await readFile(image);
    const truncated = join(folder.path, 'truncated.png');
    await writeFile(truncated, whole.subarray(0, Math.floor(whole.length / 2)));
    const run = await runCli(['run', project, '--pid', 'A01', '--image', truncated, '--json']);
    expect(run.code).toBe(2);
    expect(run.json<ErrorDocument>().error.message).toMatch(/truncated.png is damaged or truncated/);
  });

  it('a project that does not build: validate fails the build check, run exits 2 naming file:line', async () => {
    const broken = await scaffold(folder.path, 'broken');
    await writeFile(join(broken, 'src/main.ts'), (await readFile(join(broken, 'src/main.ts'), 'utf8')) + '\nexport const oops = ;\n');
    const validate = await runCli(['validate', broken, '--json']);
    expect(validate.code).toBe(1);
    expect(failedCheck(validate.json<ValidateDocument>(), 'build')?.message).toMatch(/does not build: src\/main.ts:\d+:\d+/);
    const run = await runCli(['run', broken, '--pid', 'A01', '--image', image]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/does not build: src\/main.ts:\d+:\d+/);
  });

  it('validate flags the PID_TO_FILL placeholder of init without --pids', async () => {
    const run = await runCli(['init', 'placeholder', '-d', join(folder.path, 'placeholder'), '--json']);
    expect(run.code).toBe(0);
    const validate = await runCli(['validate', join(folder.path, 'placeholder'), '--json']);
    expect(validate.code).toBe(1);
    expect(failedCheck(validate.json<ValidateDocument>(), 'supported_pids')?.message).toContain('PID_TO_FILL');
  });

  it('init refuses a folder that exists and is not empty', async () => {
    const run = await runCli(['init', 'good', '-d', join(folder.path, 'good')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('already exists');
  });

  it('validate fails a class that does not extend BaseAlgorithm, and a getInfo() that disagrees with the manifest', async () => {
    const plain = await scaffold(folder.path, 'plain');
    await writeFile(join(plain, 'src/main.ts'), 'export class Plain { getInfo() { return {}; } }\n');
    const notAlgorithm = await runCli(['validate', plain, '--json']);
    expect(notAlgorithm.code).toBe(1);
    expect(failedCheck(notAlgorithm.json<ValidateDocument>(), 'extends BaseAlgorithm')?.message).toMatch(/does not implement/);

    const drift = await scaffold(folder.path, 'drift');
    await edit(join(drift, 'src/main.ts'), 'version: "1.0.0"', 'version: "1.0.1"');
    const mismatch = await runCli(['validate', drift, '--json']);
    expect(mismatch.code).toBe(1);
    expect(failedCheck(mismatch.json<ValidateDocument>(), 'manifest/info consistency')?.message).toContain('version');
  });

  it('an invalid manifest fails validate with the field named', async () => {
    const invalid = await scaffold(folder.path, 'invalid');
    await edit(join(invalid, 'manifest.json'), '"entry_point": "dist/main.js:Invalid"', '"entry_point": "dist/main.js"');
    const run = await runCli(['validate', invalid, '--json']);
    expect(run.code).toBe(1);
    expect(failedCheck(run.json<ValidateDocument>(), 'manifest fields')?.message).toContain('entry_point');
  });

  it('--timeout-ms turns a slow execute into ERROR 1005, exit 1', async () => {
    const slow = await scaffold(folder.path, 'slow');
    await edit(
      join(slow, 'src/main.ts'),
      '    const image = await readImage(',
      '    await new Promise((resolve) => setTimeout(resolve, 5_000));\n    const image = await readImage(',
    );
    const run = await runCli(['run', slow, '--pid', 'A01', '--image', image, '--timeout-ms', '300', '--json']);
    expect(run.code).toBe(1);
    expect(run.json()).toMatchObject({
      status: 'ERROR',
      error_code: '1005',
      stage: 'execute',
      pre_execute: { status: 'OK' },
      execute: { status: 'ERROR', error_code: '1005' },
    });
  }, 60_000);

  it('package refuses one zip name for several targets, and a missing signing key', async () => {
    const several = await runCli(['package', project, '-o', 'out.zip', '--target', 'linux-x64', 'win32-x64']);
    expect(several.code).toBe(2);
    expect(several.stderr).toContain('pass a folder instead');
    const unknownTarget = await runCli(['package', project, '--target', 'amiga-m68k']);
    expect(unknownTarget.code).toBe(2);
    const noKey = await runCli(['package', project, '--sign-key', join(folder.path, 'missing.pem'), '--json']);
    expect(noKey.code).toBe(2);
    expect(noKey.json<ErrorDocument>().error.message).toContain('missing.pem does not exist');
  });

  it('package -o naming an existing file that is not a .zip: exit 2 before any work', async () => {
    const file = join(folder.path, 'not-a-folder');
    await writeFile(file, 'x');
    const run = await runCli(['package', project, '-o', file, '--json']);
    expect(run.code).toBe(2);
    expect(run.json<ErrorDocument>().error.message).toMatch(/-o .*not-a-folder is a file/);
    expect(run.stderr).not.toContain('delivering');
  });

  it('package refuses a --sign-key that is not an ed25519 private key: exit 2 naming the file, before any work', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const keys = {
      'junk.pem': 'hello\n',
      'public.pem': generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      'rsa.pem': privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
    expect(publicKey.type).toBe('public');
    for (const [file, text] of Object.entries(keys)) {
      await writeFile(join(folder.path, file), text);
      const run = await runCli(['package', project, '--sign-key', join(folder.path, file), '-o', join(folder.path, 'never'), '--json']);
      expect(run.code, file).toBe(2);
      expect(run.json<ErrorDocument>().error.message, file).toMatch(new RegExp(`${file}.*ed25519 private key`));
      expect(run.stderr, file).not.toContain('delivering');
    }
    const folderKey = await runCli(['package', project, '--sign-key', folder.path]);
    expect(folderKey.code).toBe(2);
    expect(folderKey.stderr).toContain('is a folder');
  });

  it('validate --zip fails a damaged zip', async () => {
    const damaged = join(folder.path, 'damaged.zip');
    await writeFile(damaged, Buffer.from('PK\u0003\u0004 this is not really a zip'));
    const run = await runCli(['validate', '--zip', damaged, '--json'], { cwd: folder.path });
    expect(run.code).toBe(1);
    expect(failedCheck(run.json<ValidateDocument>(), 'zip structure and integrity')).toBeDefined();
  });
});
