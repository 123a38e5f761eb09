#!/usr/bin/env node
// The release rehearsal (`pnpm release:rehearse`): a release and its first user, end to end,
// against a real npm registry on 127.0.0.1, without touching this clone.
//
//  1. a temporary copy of the repo (git ls-files), where `changeset version`, install and build run;
//  2. verdaccio 6.8.0 (cached under the OS temp dir, node-fetch pinned to 2.7.0 for Node 20),
//     started on a free loopback port, storage in the temporary folder, no uplinks;
//  3. `pnpm release` (build, check:publish, changeset publish) into it;
//  4. an empty folder whose .npmrc holds only `@procvision:registry=http://127.0.0.1:PORT/`,
//     a HOME of its own and a PATH with Node and npm but no pnpm: `npm i @procvision/cli`,
//     `procvision init`, `validate`, `run`, `package`, `runner install`, `activate`, `exec`,
//     and a require() and an import() of every entry point of every published package.
//
// Prints each step with its time; fails loudly (exit 1, the step's command and output tail);
// stops verdaccio and every child on every exit path. `--keep` keeps the temporary folder.
/* global fetch */
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  createWriteStream,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '..');
const keep = process.argv.includes('--keep');
const verdaccioVersion = '6.8.0';
const verdaccioHome = join(tmpdir(), `procvision-verdaccio-${verdaccioVersion}`);
const work = mkdtempSync(join(tmpdir(), 'pv-rehearse-'));
const paths = {
  repo: join(work, 'repo'),
  registry: join(work, 'registry'),
  user: join(work, 'user'),
  home: join(work, 'home'),
  // Outside `work`: kept when the rehearsal fails, removed when it passes.
  logs: mkdtempSync(join(tmpdir(), 'pv-rehearse-logs-')),
};
for (const path of Object.values(paths)) mkdirSync(path, { recursive: true });

const children = new Set();
const timings = [];
let registryProcess;
let finished = false;

// ---------------------------------------------------------------- output and steps

const log = (line) => process.stdout.write(`[rehearse] ${line}\n`);
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

class StepFailure extends Error {}

/** Runs one named step, prints it with its time; a failure ends the rehearsal. */
async function step(name, work_) {
  const started = performance.now();
  log(`> ${name}`);
  try {
    const detail = await work_();
    const ms = performance.now() - started;
    timings.push({ name, ms, ok: true });
    log(`ok ${name} (${seconds(ms)})${detail ? `: ${detail}` : ''}`);
    return detail;
  } catch (error) {
    const ms = performance.now() - started;
    timings.push({ name, ms, ok: false });
    log(`FAILED ${name} (${seconds(ms)})`);
    throw error instanceof StepFailure ? error : new StepFailure(`${name}: ${error instanceof Error ? error.stack : String(error)}`);
  }
}

let logCounter = 0;

/**
 * Runs a command in its own process group; resolves with its stdout, rejects (with the command,
 * exit status and the tail of its output) when it fails or outlives `timeoutMs`.
 */
function run(command, args, { cwd, env, timeoutMs = 20 * 60_000, okCodes = [0] } = {}) {
  logCounter += 1;
  const logFile = join(paths.logs, `${String(logCounter).padStart(2, '0')}-${command.split('/').pop()}.log`);
  const out = createWriteStream(logFile);
  const shown = `${command} ${args.join(' ')}`;
  out.write(`$ ${shown}\n(cwd ${cwd})\n`);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    children.add(child);
    let stdout = '';
    let tail = '';
    const keepTail = (chunk) => {
      tail = (tail + chunk).slice(-6000);
      out.write(chunk);
    };
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
      keepTail(chunk);
    });
    child.stderr.setEncoding('utf8').on('data', keepTail);
    const timer = setTimeout(() => {
      keepTail(`\n[rehearse] timed out after ${seconds(timeoutMs)}; killing the process group\n`);
      killGroup(child, 'SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      children.delete(child);
      out.end();
      reject(new StepFailure(`cannot start ${shown}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      killGroup(child, 'SIGKILL'); // anything it left behind in its group
      out.end();
      if (okCodes.includes(code ?? -1)) resolvePromise(stdout);
      else reject(new StepFailure(`${shown}\n  in ${cwd}\n  exited with ${signal ?? code}; full output in ${logFile}\n--- output tail ---\n${tail}\n---`));
    });
  });
}

function killGroup(child, signal) {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is gone
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const parseJson = (text, what) => {
  try {
    return JSON.parse(text);
  } catch {
    throw new StepFailure(`${what} did not print one JSON document:\n${text.slice(0, 2000)}`);
  }
};

function expect(condition, message) {
  if (!condition) throw new StepFailure(message);
}

// ---------------------------------------------------------------- environments

/** The repo side: this process's environment (pnpm's variables stripped), npx pnpm@10. */
function repoEnvironment(extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|PNPM_|npm_config_)/i.test(key)) continue;
    env[key] = value;
  }
  return { ...env, TURBO_TELEMETRY_DISABLED: '1', CI: '1', ...extra };
}

const pnpm = (args, options) => run('npx', ['-y', 'pnpm@10', ...args], options);

/** A PATH as a plain shell has it, with Node and npm and no pnpm: the PATH of the user's steps. */
function plainPath() {
  const folders = [dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].filter(
    (folder, index, all) => all.indexOf(folder) === index && existsSync(folder),
  );
  const withPnpm = folders.filter((folder) => existsSync(join(folder, 'pnpm')) || existsSync(join(folder, 'pnpm.cmd')));
  if (withPnpm.length > 0) throw new StepFailure(`pnpm is installed in ${withPnpm.join(', ')}; the user's steps must run without it`);
  return folders.join(delimiter);
}

/** The user side: a HOME of its own (no ~/.npmrc), a plain PATH, npm's cache shared for speed. */
function userEnvironment() {
  const npmCache = spawnSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8', env: repoEnvironment() }).stdout.trim();
  return {
    PATH: plainPath(),
    HOME: paths.home,
    LANG: process.env.LANG ?? 'C.UTF-8',
    TMPDIR: tmpdir(),
    ...(npmCache ? { npm_config_cache: npmCache } : {}),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
}

// ---------------------------------------------------------------- the registry

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** verdaccio installed once into the OS temp dir (never into the repo); reused while its version matches. */
async function ensureVerdaccio() {
  const installed = join(verdaccioHome, 'node_modules', 'verdaccio', 'package.json');
  if (existsSync(installed) && JSON.parse(readFileSync(installed, 'utf8')).version === verdaccioVersion) return `cached in ${verdaccioHome}`;
  const partial = `${verdaccioHome}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  writeFileSync(
    join(partial, 'package.json'),
    `${JSON.stringify({ name: 'procvision-rehearsal-registry', private: true, dependencies: { verdaccio: verdaccioVersion }, overrides: { 'node-fetch': '2.7.0' } }, null, 2)}\n`,
  );
  await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--omit=dev'], { cwd: partial, env: repoEnvironment(), timeoutMs: 10 * 60_000 });
  rmSync(verdaccioHome, { recursive: true, force: true });
  try {
    renameSync(partial, verdaccioHome);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(installed)) throw error; // another rehearsal installed it meanwhile: fine
  }
  return `installed into ${verdaccioHome}`;
}

/** Starts verdaccio on 127.0.0.1:port with storage in the temporary folder; resolves once /-/ping answers. */
async function startRegistry(port) {
  const config = join(paths.registry, 'config.yaml');
  writeFileSync(
    config,
    [
      `storage: ${join(paths.registry, 'storage')}`,
      'auth:',
      '  htpasswd:',
      `    file: ${join(paths.registry, 'htpasswd')}`,
      '    max_users: 10',
      'uplinks: {}',
      'packages:',
      "  '@procvision/*':",
      '    access: $all',
      '    publish: $authenticated',
      "  '**':",
      '    access: $all',
      '    publish: $authenticated',
      'web:',
      '  enable: false',
      'max_body_size: 200mb',
      'log: { type: stdout, format: pretty, level: warn }',
      '',
    ].join('\n'),
  );
  const logFile = join(paths.logs, 'verdaccio.log');
  const out = createWriteStream(logFile);
  registryProcess = spawn(
    process.execPath,
    [join(verdaccioHome, 'node_modules', 'verdaccio', 'bin', 'verdaccio'), '--config', config, '--listen', `127.0.0.1:${port}`],
    {
      cwd: paths.registry,
      env: repoEnvironment(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  registryProcess.stdout.pipe(out);
  registryProcess.stderr.pipe(out);
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (registryProcess.exitCode !== null)
      throw new StepFailure(`verdaccio exited with ${registryProcess.exitCode}; see ${logFile}:\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
    try {
      const response = await fetch(`${url}-/ping`);
      if (response.ok) return url;
    } catch {
      // not listening yet
    }
    await new Promise((wake) => setTimeout(wake, 250));
  }
  throw new StepFailure(`verdaccio did not answer ${url}-/ping within 60 s; see ${logFile}`);
}

/** Creates a throw-away user on the local registry and returns its token. */
async function registryToken(url) {
  const name = 'rehearsal';
  const response = await fetch(`${url}-/user/org.couchdb.user:${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: `pw-${process.pid}-${Date.now()}`, type: 'user', roles: [], date: new Date().toISOString() }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || typeof body.token !== 'string')
    throw new StepFailure(`verdaccio refused to create the publishing user: ${response.status} ${JSON.stringify(body)}`);
  return body.token;
}

async function stopRegistry() {
  const child = registryProcess;
  if (child === undefined || child.pid === undefined) return;
  registryProcess = undefined;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((done) => child.once('exit', done));
    killGroup(child, 'SIGTERM');
    const timer = new Promise((done) => setTimeout(done, 5000));
    await Promise.race([exited, timer]);
  }
  killGroup(child, 'SIGKILL');
  const deadline = Date.now() + 5000;
  while (isAlive(child.pid) && Date.now() < deadline) await new Promise((wake) => setTimeout(wake, 100));
  if (isAlive(child.pid)) throw new StepFailure(`verdaccio (pid ${child.pid}) is still running after SIGKILL`);
}

/** Synchronous last resort on process exit: nothing started here may outlive the rehearsal. */
function killEverything() {
  if (registryProcess !== undefined) killGroup(registryProcess, 'SIGKILL');
  for (const child of children) killGroup(child, 'SIGKILL');
}

// ---------------------------------------------------------------- the repo copy

function copyRepo() {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' });
  if (listed.status !== 0) throw new StepFailure(`git ls-files failed in ${repoRoot}: ${listed.stderr}`);
  let count = 0;
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    const from = join(repoRoot, file);
    if (!existsSync(from)) continue; // deleted, not yet committed
    const to = join(paths.repo, file);
    mkdirSync(dirname(to), { recursive: true });
    const stat = lstatSync(from);
    if (stat.isSymbolicLink()) symlinkSync(readlinkSync(from), to);
    else if (stat.isFile()) {
      copyFileSync(from, to);
      chmodSync(to, stat.mode & 0o777);
    } else continue;
    count += 1;
  }
  // A repository of its own, so changesets can tag and nothing reaches the clone's history.
  const git = (...args) => {
    const result = spawnSync('git', args, {
      cwd: paths.repo,
      encoding: 'utf8',
      env: {
        ...repoEnvironment(),
        GIT_AUTHOR_NAME: 'rehearsal',
        GIT_AUTHOR_EMAIL: 'rehearsal@localhost',
        GIT_COMMITTER_NAME: 'rehearsal',
        GIT_COMMITTER_EMAIL: 'rehearsal@localhost',
      },
    });
    if (result.status !== 0) throw new StepFailure(`git ${args.join(' ')} failed in the copy: ${result.stderr}`);
  };
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'rehearsal copy', '--no-verify');
  return `${count} files into ${paths.repo}`;
}

function publicPackages() {
  const list = [];
  for (const dir of readdirSync(join(paths.repo, 'packages'))) {
    const file = join(paths.repo, 'packages', dir, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    if (!manifest.private) list.push({ name: manifest.name, version: manifest.version, exports: manifest.exports ?? {} });
  }
  return list;
}

/** `.`, `./store` ... of an exports map, as specifiers (no patterns, no JSON files). */
function entryPoints(name, exportsMap) {
  return Object.keys(exportsMap)
    .filter((key) => !key.includes('*') && !key.endsWith('.json'))
    .map((key) => (key === '.' ? name : `${name}/${key.slice(2)}`));
}

// ---------------------------------------------------------------- the rehearsal

async function rehearse() {
  log(`temporary folder ${work}${keep ? ' (kept)' : ''}`);
  const userEnv = userEnvironment();
  await step('registry tool: verdaccio', ensureVerdaccio);
  await step('copy the repo', () => copyRepo());
  await step('install (pnpm install --frozen-lockfile)', () =>
    pnpm(['install', '--frozen-lockfile', '--prefer-offline'], { cwd: paths.repo, env: repoEnvironment() }).then(() => ''),
  );
  const before = publicPackages();
  await step('changeset version', async () => {
    await pnpm(['exec', 'changeset', 'version'], { cwd: paths.repo, env: repoEnvironment() });
    const after = publicPackages();
    const bumped = after.filter((pkg) => before.find((old) => old.name === pkg.name)?.version !== pkg.version);
    return bumped.length === 0 ? 'no changesets: nothing bumped' : bumped.map((pkg) => `${pkg.name}@${pkg.version}`).join(', ');
  });
  const packages = publicPackages();
  await step('build (pnpm build)', () => pnpm(['build'], { cwd: paths.repo, env: repoEnvironment() }).then(() => ''));
  const port = await freePort();
  const url = await step('start the registry', async () => startRegistry(port));
  const token = await registryToken(url);
  const host = url.replace(/^https?:/, '');
  const publishConfig = join(paths.registry, 'publish.npmrc');
  // Only the scope goes to the local registry: npx still fetches pnpm, and npm/pnpm everything
  // else, from the registry this machine is configured with.
  writeFileSync(publishConfig, `@procvision:registry=${url}\n${host}:_authToken=${token}\n`);
  const publishEnv = repoEnvironment({ npm_config_userconfig: publishConfig, 'npm_config_@procvision:registry': url });
  await step('publish (pnpm release: build, check:publish, changeset publish)', async () => {
    await pnpm(['run', 'release'], { cwd: paths.repo, env: publishEnv });
    const missing = [];
    for (const pkg of packages) {
      const response = await fetch(`${url}${pkg.name.replace('/', '%2f')}`);
      const body = response.ok ? await response.json() : {};
      if (body.versions?.[pkg.version] === undefined) missing.push(`${pkg.name}@${pkg.version}`);
    }
    expect(missing.length === 0, `not on the local registry after publishing: ${missing.join(', ')}`);
    return packages.map((pkg) => `${pkg.name}@${pkg.version}`).join(', ');
  });

  // The user's side.
  writeFileSync(join(paths.user, '.npmrc'), `@procvision:registry=${url}\n`);
  const user = (args, options = {}) => run(args[0], args.slice(1), { cwd: paths.user, env: userEnv, ...options });
  const procvision = join(paths.user, 'node_modules', '.bin', 'procvision');
  await step('npm i @procvision/cli (empty folder, scoped registry only, no pnpm on PATH)', async () => {
    await user(['npm', 'install', '@procvision/cli']);
    expect(existsSync(procvision), `npm installed no procvision binary at ${procvision}`);
    return (await user([procvision, '--version'])).trim();
  });
  await step('npm i every other published package', async () => {
    const others = packages.filter((pkg) => pkg.name !== '@procvision/cli').map((pkg) => `${pkg.name}@${pkg.version}`);
    await user(['npm', 'install', ...others]);
    return others.join(' ');
  });
  const project = join(paths.user, 'demo');
  await step('procvision init demo', async () => {
    const document = parseJson(await user([procvision, 'init', 'demo', '--pids', 'A01', '--json']), 'init --json');
    expect(existsSync(join(project, 'manifest.json')), `init wrote no ${join(project, 'manifest.json')} (it reported ${JSON.stringify(document.project)})`);
    // The project's own npm configuration, as an algorithm team keeps it: only the scoped registry.
    writeFileSync(join(project, '.npmrc'), `@procvision:registry=${url}\n`);
    return `${document.project ?? project}`;
  });
  await step('procvision validate', async () => {
    const document = parseJson(await user([procvision, 'validate', project, '--json'], { okCodes: [0, 1] }), 'validate --json');
    expect(document.summary?.status === 'PASS', `validate did not pass: ${JSON.stringify(document.checks?.filter((check) => check.result === 'FAIL'))}`);
    return `${document.summary.passed} checks passed, ${document.summary.warnings} warnings`;
  });
  await step('procvision run', async () => {
    const document = parseJson(await user([procvision, 'run', project, '--pid', 'A01', '--image', join(project, 'samples', 'ok.png'), '--json']), 'run --json');
    expect(document.status === 'OK', `run: status ${document.status}`);
    return `${document.status}/${document.result_status}`;
  });
  const zip = await step('procvision package (no pnpm on PATH, the project .npmrc)', async () => {
    const document = parseJson(await user([procvision, 'package', project, '--json']), 'package --json');
    const path = document.zips?.[0]?.path;
    expect(typeof path === 'string' && existsSync(path), `package reported no zip: ${JSON.stringify(document)}`);
    return path;
  });
  const store = join(paths.user, 'runtime_store');
  await step('procvision runner install', async () => {
    const entry = parseJson(await user([procvision, 'runner', 'install', zip, '--store', store, '--json']), 'runner install --json');
    return `${entry.name}@${entry.version}, ${entry.dependency_count} dependencies`;
  });
  await step('procvision runner activate', async () => {
    await user([procvision, 'runner', 'activate', 'demo', '1.0.0', '--pid', 'A01', '--store', store, '--json']);
    return 'A01 -> demo@1.0.0';
  });
  await step('procvision runner exec', async () => {
    const document = parseJson(
      await user([procvision, 'runner', 'exec', '--pid', 'A01', '--image', join(project, 'samples', 'ng.png'), '--store', store, '--json']),
      'runner exec --json',
    );
    expect(document.status === 'OK', `runner exec: status ${document.status}`);
    return `${document.status}/${document.result_status} via ${document.package?.name}@${document.package?.version}`;
  });
  await step('require() and import() of every published entry point', async () => {
    const specifiers = packages.flatMap((pkg) => entryPoints(pkg.name, pkg.exports));
    const check = (kind, specifier) =>
      user([
        process.execPath,
        '--input-type',
        kind === 'require' ? 'commonjs' : 'module',
        '-e',
        kind === 'require'
          ? `const m = require(${JSON.stringify(specifier)}); if (!Object.keys(m).length) throw new Error('no exports')`
          : `const m = await import(${JSON.stringify(specifier)}); if (!Object.keys(m).length) throw new Error('no exports')`,
      ]);
    for (const specifier of specifiers) {
      await check('require', specifier);
      await check('import', specifier);
    }
    return specifiers.join(', ');
  });
  await step('stop the registry', async () => {
    await stopRegistry();
    return 'verdaccio stopped';
  });
}

function summary() {
  const width = Math.max(...timings.map((timing) => timing.name.length));
  log('steps:');
  for (const timing of timings) log(`  ${timing.ok ? 'ok    ' : 'FAILED'} ${timing.name.padEnd(width)}  ${seconds(timing.ms).padStart(8)}`);
  log(`  total ${seconds(timings.reduce((sum, timing) => sum + timing.ms, 0))}`);
}

async function cleanUp(passed) {
  for (const child of children) killGroup(child, 'SIGKILL');
  await stopRegistry().catch((error) => log(`could not stop verdaccio: ${error.message}`));
  if (keep) log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
  if (passed) rmSync(paths.logs, { recursive: true, force: true });
  else log(`logs of every step kept in ${paths.logs}`);
}

let interrupted;
process.on('exit', killEverything);
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
]) {
  process.on(signal, () => {
    if (finished) return;
    finished = true;
    log(`${signal}: stopping`);
    killEverything();
    interrupted = cleanUp(false).finally(() => process.exit(code));
  });
}

let exitCode = 0;
try {
  await rehearse();
  log('release rehearsal passed');
} catch (error) {
  exitCode = 1;
  if (interrupted === undefined) process.stderr.write(`\n[rehearse] RELEASE REHEARSAL FAILED\n${error instanceof Error ? error.message : String(error)}\n\n`);
  if (interrupted === undefined && !keep) process.stderr.write(`[rehearse] run with --keep to keep ${work} (repo copy, user folder)\n`);
} finally {
  if (!finished) {
    finished = true;
    summary();
    await cleanUp(exitCode === 0);
  }
}
if (interrupted !== undefined) await interrupted; // exits with 130/143 once cleaned up
process.exit(exitCode);
