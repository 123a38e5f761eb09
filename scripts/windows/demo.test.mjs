// The demo flow on a Windows station, through the installed `procvision` binary: validate and
// run the example (OK and NG), then the win32-x64 zip built by the developer (`procvision
// package --target win32-x64`, done by scripts/test-windows.mjs): validate, install into a
// store, activate, and `runner exec` with an OK and an NG verdict.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import './helpers.mjs';

const station = process.cwd();
const require = createRequire(join(station, 'package.json'));
const bin = join(resolve(require.resolve('@procvision/cli/package.json'), '..'), 'dist', 'bin.js');
const example = join(station, 'example');
const zip = join(
  station,
  'zips',
  readdirSync(join(station, 'zips')).find((file) => file.endsWith('.zip')),
);
const work = mkdtempSync(join(tmpdir(), 'procvision-windows-demo-'));
const store = join(work, 'runtime_store');
const roi = JSON.stringify({ roi: { x: 100, y: 100, width: 440, height: 280 } });
after(() => rmSync(work, { recursive: true, force: true }));

/** Runs `procvision <args> --json` with this node.exe; resolves with the exit code and document. */
function procvision(args) {
  return new Promise((resolvePromise) => {
    execFile(
      process.execPath,
      [bin, ...args, '--json'],
      { cwd: work, env: { ...process.env, PROCVISION_STORE: store }, timeout: 600_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        let document;
        try {
          document = JSON.parse(stdout);
        } catch {
          document = undefined;
        }
        resolvePromise({ code: error ? (error.code ?? 1) : 0, document, stdout, stderr });
      },
    );
  });
}

function expectOk(result, what) {
  assert.equal(result.code, 0, `${what}: exit ${result.code}\n${result.stdout}\n${result.stderr}`);
  assert.ok(result.document, `${what}: no JSON document`);
  return result.document;
}

describe('the demo flow on Windows', () => {
  test('doctor: shared memory uses the native Windows backend', async () => {
    const result = await procvision(['doctor']);
    assert.ok(result.document, `doctor printed no JSON: ${result.stdout}\n${result.stderr}`);
    const checks = result.document.checks ?? [];
    const shm = checks.find((check) => check.name === 'shm_backend');
    assert.ok(shm, JSON.stringify(result.document).slice(0, 2000));
    assert.equal(shm.status, 'ok');
    assert.equal(shm.facts.backend, 'native');
    assert.match(shm.detail, /native Windows backend, named file mappings/);
  });

  test('validate the example', async () => {
    const validation = expectOk(await procvision(['validate', example]), 'validate');
    assert.equal(validation.summary.status, 'PASS', JSON.stringify(validation.checks.filter((check) => check.result !== 'PASS')));
  });

  test('run the example: OK image OK, NG image NG', async () => {
    const ok = expectOk(
      await procvision(['run', example, '--pid', 'p001', '--image', join(example, 'samples', 'ok.png'), '--step', '1', '--params', roi]),
      'run ok.png',
    );
    assert.equal(ok.result_status, 'OK');
    const ng = expectOk(
      await procvision([
        'run',
        example,
        '--pid',
        'p001',
        '--image',
        join(example, 'samples', 'ng.png'),
        '--step',
        '1',
        '--params',
        roi,
        '--report',
        join(work, 'report'),
      ]),
      'run ng.png',
    );
    assert.equal(ng.result_status, 'NG');
  });

  test('the win32-x64 zip: validate, install, activate, exec OK and NG', async () => {
    const verified = expectOk(await procvision(['validate', '--zip', zip]), 'validate --zip');
    assert.equal(verified.summary.status, 'PASS', JSON.stringify(verified.checks.filter((check) => check.result !== 'PASS')));
    const installed = expectOk(await procvision(['runner', 'install', zip, '--store', store]), 'runner install');
    assert.equal(installed.name, 'algorithm-example');
    const activated = expectOk(
      await procvision(['runner', 'activate', installed.name, installed.version, '--pid', 'p001', '--store', store]),
      'runner activate',
    );
    assert.deepEqual(activated.pids, ['p001']);
    for (const [image, verdict] of [
      ['ok.png', 'OK'],
      ['ng.png', 'NG'],
    ]) {
      const exec = expectOk(
        await procvision(['runner', 'exec', '--pid', 'p001', '--image', join(example, 'samples', image), '--step', '1', '--params', roi, '--store', store]),
        `runner exec ${image}`,
      );
      assert.equal(exec.result_status, verdict, JSON.stringify(exec));
    }
  });
});
