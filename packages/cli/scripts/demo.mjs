#!/usr/bin/env node
// The end-to-end demo (`pnpm demo`): the whole path of an algorithm package on
// examples/algorithm-example, through the built `procvision` binary, as a user types it:
// validate, run (OK and NG images, with a report), package, install into a temporary store,
// activate, and exec one inspection step through the installed package.
// `--keep` keeps the temporary folder (the report, the zip, the store) and says where it is;
// without it the folder is removed at the end, and the report's path is not printed as if it stayed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const repository = fileURLToPath(new URL('../../../', import.meta.url));
const example = join(repository, 'examples', 'algorithm-example');
const work = mkdtempSync(join(tmpdir(), 'procvision-demo-'));
const store = join(work, 'runtime_store');
const keep = process.argv.includes('--keep');
const shown = (path) => (path.startsWith(work) ? `$DEMO/${relative(work, path)}` : relative(process.cwd(), path) || '.');

if (!existsSync(bin)) fail(`${bin} is missing: build the CLI first (pnpm --filter @procvision/cli build)`);
if (!existsSync(join(example, 'manifest.json'))) fail(`${example} has no manifest.json`);

/** Runs `procvision <args> --json`, prints the command, returns the parsed document. */
function procvision(args, { expectCode = 0 } = {}) {
  const display = (arg) =>
    arg.startsWith(work) ? shown(arg) : arg.startsWith(repository) ? relative(process.cwd(), arg) || '.' : /[^\w./:$=,-]/.test(arg) ? `'${arg}'` : arg;
  console.log(`\n$ procvision ${args.map(display).join(' ')}`);
  const run = spawnSync(process.execPath, [bin, ...args, '--json'], { encoding: 'utf8', cwd: work, env: { ...process.env, PROCVISION_STORE: store } });
  let document;
  try {
    document = JSON.parse(run.stdout);
  } catch {
    fail(`no JSON document on stdout (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
  if (run.status !== expectCode) fail(`exit ${run.status}, expected ${expectCode}:\n${JSON.stringify(document, null, 2)}\n${run.stderr}`);
  return document;
}

function fail(message) {
  console.error(`\ndemo failed: ${message}`);
  rmSync(work, { recursive: true, force: true });
  process.exit(1);
}

function describeStep(document) {
  const execute = document.execute;
  const verdict = document.result_status ?? 'none';
  const reason = verdict === 'NG' ? ` (${execute.data.ng_reason}; ${execute.data.defect_rects.length} defect rect(s))` : '';
  return `  step ${document.status}, verdict ${verdict}${reason}; execute ${document.timings.execute_ms} ms`;
}

console.log('ProcVision end-to-end demo: examples/algorithm-example, from source to an installed package');
console.log(`(temporary folder $DEMO = ${work}${keep ? ', kept' : ', removed at the end: pass --keep to keep it'})`);

const validation = procvision(['validate', example]);
for (const check of validation.checks) console.log(`  ${check.result.padEnd(4)} ${check.name}: ${check.message}`);
console.log(`  => ${validation.summary.status}: ${validation.summary.passed} passed, ${validation.summary.failed} failed`);

const pid = 'p001';
const roi = JSON.stringify({ roi: { x: 100, y: 100, width: 440, height: 280 } });
const ok = procvision(['run', example, '--pid', pid, '--image', join(example, 'samples', 'ok.png'), '--step', '1', '--params', roi]);
console.log(describeStep(ok));
const ng = procvision([
  'run',
  example,
  '--pid',
  pid,
  '--image',
  join(example, 'samples', 'ng.png'),
  '--step',
  '1',
  '--params',
  roi,
  '--report',
  join(work, 'report'),
]);
console.log(describeStep(ng));
console.log(`  report: ${shown(ng.report.html)} and ${shown(ng.report.annotated)}`);

const packaged = procvision(['package', example, '-o', join(work, 'release')]);
const zip = packaged.zips[0];
console.log(`  ${shown(zip.path)}: ${zip.name} ${zip.version} for ${zip.target}, ${zip.files} files, ${zip.dependencies.length} vendored dependencies`);

const verified = procvision(['validate', '--zip', zip.path]);
for (const check of verified.checks) console.log(`  ${check.result.padEnd(4)} ${check.name}: ${check.message}`);

const installed = procvision(['runner', 'install', zip.path, '--store', store]);
console.log(`  installed ${installed.name} ${installed.version} into ${shown(store)}`);
const activated = procvision(['runner', 'activate', zip.name, zip.version, '--pid', 'p001,p002', '--store', store]);
console.log(`  ${activated.pids.join(', ')} -> ${activated.name} ${activated.version} (process started and handshaken before the switch)`);
const listing = procvision(['runner', 'list', '--store', store]);
for (const entry of listing.packages) console.log(`  ${entry.name} ${entry.version}: ${entry.state}, active for ${entry.active_pids.join(', ') || 'no PID'}`);
const exec = procvision(['runner', 'exec', '--pid', pid, '--image', join(example, 'samples', 'ng.png'), '--step', '1', '--params', roi, '--store', store]);
console.log(describeStep(exec));

console.log('\nDemo complete: validated, ran OK and NG, reported, packaged, verified, installed offline, activated and executed.');
if (keep) console.log(`Kept $DEMO = ${work}: open ${ng.report.html}`);
else rmSync(work, { recursive: true, force: true });
