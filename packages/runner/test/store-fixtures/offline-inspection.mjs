// Inside `unshare -n`: node offline-inspection.mjs <store> <zip> <samples dir>.
// Installs the zip, activates p001 (real adapter process), runs both steps on the OK and NG
// samples through the store's process for p001, and prints one JSON line with the verdicts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
const [storeRoot, zipPath, samplesDir] = process.argv.slice(2);
const { Runner } = await import(new URL('../../dist/index.js', import.meta.url).href);
const { PackageStore } = await import(new URL('../../dist/store/index.js', import.meta.url).href);

const networkBlocked = await globalThis.fetch('https://registry.npmjs.org/', { signal: globalThis.AbortSignal.timeout(3000) }).then(
  () => false,
  () => true,
);
const startedAt = performance.now();
const store = await PackageStore.open(storeRoot, { runnerConfig: { log_level: 'warn' } });
const entry = await store.install(zipPath);
const installSeconds = (performance.now() - startedAt) / 1000;
await store.activate(entry.name, entry.version, ['p001']);
const active = await store.resolveActive('p001');
await store.processFor('p001');
const listed = await store.list();
let uninstallCode = null;
await store.uninstall(entry.name, entry.version).catch((error) => (uninstallCode = error.code));
const runner = new Runner({ config: { log_level: 'warn' } });
await runner.startPackage({ root: active.root });
const verdicts = {};
for (const kind of ['ok', 'ng']) {
  const bytes = readFileSync(join(samplesDir, `${kind}.png`));
  const { width, height } = await sharp(bytes).metadata();
  const session = runner.createSession({ packageName: active.name, pid: 'p001', context: { product_code: 'p001' } });
  verdicts[kind] = [];
  for (const [stepIndex, userParams] of [
    [1, { roi: { x: 100, y: 100, width: 440, height: 280 } }],
    [2, { mode: 'accurate' }],
  ]) {
    const outcome = await runner.runStep(session.id, { stepIndex, frame: { encoding: 'png', bytes, width, height }, userParams });
    verdicts[kind].push(outcome.status === 'OK' ? outcome.resultStatus : `${outcome.status} ${outcome.errorCode} ${outcome.message}`);
  }
}
await runner.close();
await store.close();
console.log(JSON.stringify({ networkBlocked, installSeconds, root: active.root, state: listed[0].state, uninstallCode, verdicts }));
