// `pnpm container:test`: the runner image built with buildah and run with podman as the
// Kubernetes DaemonSet runs it (deploy/kubernetes/daemonset.yaml): read-only root filesystem,
// uid 10001, no capabilities, a tmpfs /tmp, a memory-backed /dev/shm that outlives the container
// (the DaemonSet's emptyDir), the store on a volume, the token and trusted key mounted read-only.
// Needs root, buildah, podman, runc and mmdebstrap (Debian packages; .ci/run installs them).
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { openAsBlob } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSigningKey, signPythonDeliveryZip } from '@procvision/packager';
import { RunnerClient } from '@procvision/runner/client';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPythonZip, buildSdkWheel, pythonSdkOrSkipReason } from '../../runner/test/store-fixtures/python-zips.js';
import { runCli, scaffold, temporaryFolder } from '../test/cli-helpers.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const cache = process.env.PROCVISION_CONTAINER_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'procvision-container');
const storage = ['--root', join(cache, 'storage'), '--runroot', join(cache, 'run'), '--storage-driver', 'vfs'];
const podmanGlobal = [...storage, '--runtime', 'runc', '--cgroup-manager', 'cgroupfs', '--events-backend', 'file'];
const uid = 10001;
const tag = `localhost/procvision/runner:container-test-${process.pid}`;
const name = `procvision-container-test-${process.pid}`;
const volume = `${name}-store`;
const token = `container-test-token-${process.pid}-${Date.now()}`;
const python = pythonSdkOrSkipReason();

const missing = ['buildah', 'podman', 'runc', 'mmdebstrap'].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
if (process.getuid?.() !== 0) throw new Error('pnpm container:test needs root (mmdebstrap and vfs storage); run it as root or through .ci/run');
if (missing.length > 0) throw new Error(`pnpm container:test needs ${missing.join(', ')}: apt-get install -y buildah podman runc mmdebstrap uidmap`);

/** Runs podman with the shared vfs store; returns stdout, or throws with its output. */
function podman(args: string[], options: { allowFail?: boolean } = {}): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync('podman', [...podmanGlobal, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const stderr = (result.stderr ?? '')
    .split('\n')
    .filter((line) => !line.includes('systemd'))
    .join('\n');
  if (result.status !== 0 && options.allowFail !== true) throw new Error(`podman ${args.slice(0, 3).join(' ')} exited ${String(result.status)}: ${stderr}`);
  return { code: result.status, stdout: (result.stdout ?? '').trim(), stderr };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** Every process of the container: pid, ppid, state, command, read from the container's /proc. */
function containerProcesses(): Array<{ pid: number; ppid: number; state: string; comm: string }> {
  const listing = podman(['exec', name, 'sh', '-c', 'for f in /proc/[0-9]*/stat; do cat "$f" 2>/dev/null; echo; done']).stdout;
  return listing
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const match = /^(\d+) \((.*)\) (\S) (\d+)/.exec(line);
      return match ? { pid: Number(match[1]), comm: match[2]!, state: match[3]!, ppid: Number(match[4]) } : undefined;
    })
    .filter((entry) => entry !== undefined);
}

/** What the service left in the memory-backed /dev/shm: frame segments and private frame folders. */
function shmLeftovers(shmDir: string): string[] {
  return readdirSync(shmDir).filter((entry) => entry.startsWith('pv-') || entry.startsWith('procvision-shm-'));
}

/** The probe algorithm: the scaffold plus two params, `hold_ms` (a long step) and `orphan` (leaves a grandchild to PID 1). */
function probeSource(source: string): string {
  const params = `params: [
            { key: 'hold_ms', type: 'int', description: 'ms the step takes', required: false, default: 0, min: 0, max: 60000 },
            { key: 'orphan', type: 'int', description: '1: leave an orphaned grandchild', required: false, default: 0, min: 0, max: 1 },`;
  const body = `const image = await readImage(sharedMemId, imageMeta);
    if (Number(userParams['orphan']) === 1) spawn('/bin/sh', ['-c', 'sleep 4 & exit 0'], { stdio: 'ignore' });
    const holdMs = Number(userParams['hold_ms'] ?? 0);
    if (holdMs > 0) writeFileSync('/tmp/probe-holding', String(process.pid));
    if (holdMs > 0) await new Promise((resolve) => setTimeout(resolve, holdMs));`;
  const patched = `import { spawn } from 'node:child_process';\nimport { writeFileSync } from 'node:fs';\n${source}`
    .replace('params: [', params)
    .replace('const image = await readImage(sharedMemId, imageMeta);', body);
  if (!patched.includes("userParams['orphan']") || !patched.includes("key: 'orphan'")) throw new Error('the scaffold changed: cannot make the probe algorithm');
  return patched;
}

/** A plain 64 x 48 JPEG frame (no dark spot: the probe answers OK). */
function grayJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: '#c0c0c0' } })
    .jpeg()
    .toBuffer();
}

describe('the runner image, run as the DaemonSet runs it', () => {
  let folder: Awaited<ReturnType<typeof temporaryFolder>>;
  let shmDir = '';
  let client: RunnerClient;
  let tsZip = '';
  let pyZip = '';
  const timings: Record<string, number> = {};
  let started = false;

  beforeAll(async () => {
    folder = await temporaryFolder('container');
    chmodSync(folder.path, 0o755);
    // 1. the image: base (cached outside the checkout), context, buildah bud
    const buildStart = Date.now();
    const build = spawn(process.execPath, [join(repoRoot, 'scripts', 'container-image.mjs'), 'build', '--tag', tag], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let imageId = '';
    build.stdout.on('data', (chunk: Buffer) => (imageId += chunk.toString()));
    const built = new Promise<number | null>((resolve) => build.on('close', resolve)).then((code) => {
      timings.image_s = (Date.now() - buildStart) / 1000;
      return code;
    });

    // 2. meanwhile, a signed TypeScript zip (the probe algorithm) and a signed Python SDK zip, made outside the image
    await makeZips().catch(async (error: unknown) => {
      build.kill('SIGTERM');
      await built;
      throw error;
    });
    const code = await built;
    if (code !== 0) throw new Error(`node scripts/container-image.mjs build exited ${String(code)}`);
    expect(imageId.trim()).toMatch(/^sha256:[0-9a-f]{64}$/);
    await startContainer();
  }, 1_800_000);

  async function makeZips(): Promise<void> {
    const since = Date.now();
    const signer = generateSigningKey();
    const keys = join(folder.path, 'keys');
    mkdirSync(keys);
    writeFileSync(join(keys, 'vendor.pub.pem'), signer.publicKeyPem);
    writeFileSync(join(folder.path, 'vendor.key.pem'), signer.privateKeyPem, { mode: 0o600 });
    const project = await scaffold(folder.path, 'probe', 'A01');
    const main = join(project, 'src', 'main.ts');
    writeFileSync(main, probeSource(readFileSync(main, 'utf8')));
    const packaged = await runCli(['package', project, '-o', join(folder.path, 'zips'), '--sign-key', join(folder.path, 'vendor.key.pem'), '--json']);
    if (packaged.code !== 0) throw new Error(`procvision package failed: ${packaged.stderr}`);
    tsZip = packaged.json<{ zips: Array<{ path: string }> }>().zips[0]!.path;
    if ('sdk' in python) {
      const wheel = buildSdkWheel(python.sdk, folder.path);
      pyZip = buildPythonZip(python.sdk, wheel, folder.path, { version: '1.0.0' });
      await signPythonDeliveryZip(pyZip, signer.privateKeyPem);
    }
    timings.zips_s = (Date.now() - since) / 1000;
  }

  /** 3. the store volume (Debian's numpy/Pillow reach the packages' venvs), the token, /dev/shm; then the container. */
  async function startContainer(): Promise<void> {
    const since = Date.now();
    const keys = join(folder.path, 'keys');
    podman(['volume', 'create', volume]);
    const storeDir = podman(['volume', 'inspect', volume, '--format', '{{.Mountpoint}}']).stdout;
    writeFileSync(join(storeDir, 'config.json'), JSON.stringify({ python_system_site_packages: true }, null, 2));
    chownSync(storeDir, uid, uid);
    chownSync(join(storeDir, 'config.json'), uid, uid);
    const secrets = join(folder.path, 'secrets');
    mkdirSync(secrets);
    writeFileSync(join(secrets, 'token'), `${token}\n`, { mode: 0o440 });
    chownSync(join(secrets, 'token'), 0, uid);
    // A folder of the host's tmpfs /dev/shm stands in for the DaemonSet's `emptyDir: {medium: Memory}`:
    // it outlives the container, so whatever the service leaves there shows after it exits.
    shmDir = join('/dev/shm', name);
    mkdirSync(shmDir, { mode: 0o1777 });
    chmodSync(shmDir, 0o1777);
    const port = await freePort();
    podman([
      'run',
      '--detach',
      '--name',
      name,
      '--read-only',
      '--read-only-tmpfs=false',
      '--tmpfs',
      '/tmp:rw,size=512m,mode=1777',
      '--user',
      `${uid}:${uid}`,
      '--cap-drop',
      'all',
      '--security-opt',
      'no-new-privileges',
      '--ulimit',
      'nofile=16384:16384',
      '--ulimit',
      'nproc=4096:4096',
      '--memory',
      '3g',
      '--health-interval',
      'disable',
      '--publish',
      `127.0.0.1:${String(port)}:7070`,
      '--volume',
      `${volume}:/var/lib/procvision/store`,
      '--volume',
      `${secrets}:/run/secrets/procvision:ro`,
      '--volume',
      `${keys}:/etc/procvision/keys:ro`,
      '--volume',
      `${shmDir}:/dev/shm`,
      tag,
      'runner',
      'serve',
      '--trusted-key',
      '/etc/procvision/keys/vendor.pub.pem',
    ]);
    started = true;
    client = new RunnerClient({ url: `http://127.0.0.1:${String(port)}`, token });
    const deadline = Date.now() + 180_000;
    for (;;) {
      const health = await fetch(`${client.url}/health`).catch(() => undefined);
      if (health?.status === 200) break;
      const state = podman(['inspect', name, '--format', '{{.State.Status}}'], { allowFail: true }).stdout;
      if (state !== 'running' && state !== 'created') throw new Error(`the container is ${state}: ${podman(['logs', name], { allowFail: true }).stderr}`);
      if (Date.now() > deadline) throw new Error('no /health answer within 180 s');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    timings.start_s = (Date.now() - since) / 1000;
  }

  afterAll(() => {
    if (started) podman(['rm', '--force', '--volumes', '--time', '5', name], { allowFail: true });
    podman(['volume', 'rm', '--force', volume], { allowFail: true });
    podman(['rmi', '--force', tag], { allowFail: true });
    if (shmDir !== '') rmSync(shmDir, { recursive: true, force: true });
    rmSync(join(repoRoot, '.container'), { recursive: true, force: true });
    process.stderr.write(`[container-test] timings ${JSON.stringify(timings)}\n`);
    return folder?.remove();
  });

  it('the image: tini as PID 1, uid 10001, a HEALTHCHECK that survives (docker format) and passes, no compiler, Node LTS', () => {
    const inspect = (format: string): unknown => JSON.parse(podman(['image', 'inspect', tag, '--format', `{{json ${format}}}`]).stdout);
    expect((inspect('.Config.Entrypoint') as string[]).slice(0, 2)).toEqual(['/usr/bin/tini', '--']);
    expect(inspect('.Config.User')).toBe(`${String(uid)}:${String(uid)}`);
    expect((inspect('.Config.Healthcheck') as { Test?: string[] } | null)?.Test?.join(' ')).toContain('/health');
    const size = Number(podman(['image', 'inspect', tag, '--format', '{{.Size}}']).stdout);
    process.stderr.write(`[container-test] image ${tag}: ${(size / 1e6).toFixed(0)} MB\n`);
    expect(podman(['healthcheck', 'run', name], { allowFail: true }).code).toBe(0);
    const probe = podman(
      [
        'exec',
        name,
        'sh',
        '-c',
        'id -u; node --version; python3 -c "import venv, ensurepip, pip, numpy, PIL"; echo python-ok; for t in cc gcc g++ make; do command -v $t; done; touch /opt/procvision/x 2>&1 || echo code-read-only; touch /tmp/x && echo tmp-writable',
      ],
      { allowFail: true },
    );
    expect(probe.stdout.split('\n')).toEqual([
      String(uid),
      expect.stringMatching(/^v(22|24)\./),
      'python-ok',
      expect.stringMatching(/Read-only file system|Permission denied/),
      'code-read-only',
      'tmp-writable',
    ]);
    const processes = containerProcesses();
    expect(processes.find((entry) => entry.pid === 1)?.comm).toBe('tini');
  });

  it('/health answers without a token, /ready with the mounted token only', async () => {
    expect(await client.health()).toMatchObject({ status: 'ok' });
    expect((await fetch(`${client.url}/ready`)).status).toBe(401);
    const ready = await fetch(`${client.url}/ready`, { headers: { authorization: `Bearer ${token}` } });
    expect(ready.status).toBe(200);
  });

  it('installs, activates and executes a signed TypeScript zip', async () => {
    const { package: entry } = await client.install(await openAsBlob(tsZip));
    expect(entry).toMatchObject({ name: 'probe', version: '1.0.0' });
    await client.activate('probe', '1.0.0', ['A01']);
    const image = await grayJpeg();
    const answer = await client.execute({ pid: 'A01', step_index: 1, image });
    expect(answer).toMatchObject({ status: 'OK' });
  }, 180_000);

  it.skipIf(!('sdk' in python))(
    'installs (offline, into a venv), activates and executes a signed Python SDK zip',
    async () => {
      const { package: entry } = await client.install(await openAsBlob(pyZip));
      expect(entry).toMatchObject({ name: 'algorithm-example', version: '1.0.0', kind: 'python' });
      await client.activate('algorithm-example', '1.0.0', ['P01']);
      const image = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#808080' } })
        .png()
        .toBuffer();
      const answer = await client.execute({ pid: 'P01', step_index: 1, image });
      expect(answer).toMatchObject({ status: 'OK' });
    },
    300_000,
  );

  it('an orphaned grandchild of an algorithm is reaped by PID 1: no zombie', async () => {
    const image = await grayJpeg();
    const answer = await client.execute({ pid: 'A01', step_index: 1, image, user_params: { orphan: 1 } });
    expect(answer).toMatchObject({ status: 'OK' });
    const orphan = containerProcesses().find((entry) => entry.comm === 'sleep');
    expect(orphan, 'the grandchild, reparented to PID 1').toMatchObject({ ppid: 1 });
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const after = containerProcesses();
    expect(after.filter((entry) => entry.state === 'Z')).toEqual([]);
    expect(after.some((entry) => entry.pid === orphan?.pid)).toBe(false);
  }, 60_000);

  it('SIGTERM during a step: the step finishes, the service exits 0, no algorithm process and nothing in /dev/shm remain', async () => {
    const image = await grayJpeg();
    const hostPids = podman(['top', name, 'hpid', 'args'])
      .stdout.split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .map(([pid, ...args]) => ({ pid: Number(pid), args: args.join(' ') }));
    const service = hostPids.find((entry) => entry.args.includes('/opt/procvision/dist/bin.js'));
    const algorithms = hostPids.filter((entry) => entry !== service && !entry.args.startsWith('/usr/bin/tini'));
    expect(service).toBeDefined();
    expect(algorithms.length).toBeGreaterThanOrEqual(1);
    const step = client.execute({ pid: 'A01', step_index: 1, image, user_params: { hold_ms: 4000 } });
    // SIGTERM once the algorithm is inside the step (it writes /tmp/probe-holding as it starts waiting).
    const deadline = Date.now() + 30_000;
    while (podman(['exec', name, 'test', '-e', '/tmp/probe-holding'], { allowFail: true }).code !== 0) {
      if (Date.now() > deadline) throw new Error('the step did not start within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    podman(['kill', '--signal', 'TERM', name]);
    // Which processes were still there when the service process ended (polled from the host).
    let leftAtServiceExit: number[] = [];
    const watch = (async () => {
      while (existsSync(`/proc/${String(service!.pid)}`)) {
        leftAtServiceExit = algorithms.map((entry) => entry.pid).filter((pid) => existsSync(`/proc/${String(pid)}`));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    expect(await step).toMatchObject({ status: 'OK' });
    const exitCode = podman(['wait', name]).stdout;
    await watch;
    expect(exitCode).toBe('0');
    expect(leftAtServiceExit).toEqual([]);
    expect(shmLeftovers(shmDir)).toEqual([]);
  }, 120_000);
});
