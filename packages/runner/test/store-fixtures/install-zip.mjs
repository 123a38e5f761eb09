// Installs a zip into a store in its own process: node install-zip.mjs <store> <zip>.
// Prints one JSON line: {ok, name?, version?, code?, message?, lockedAt?, doneAt?}.
// PROCVISION_STORE_TEST_CRASH_AT=<stage> makes it SIGKILL itself at that install stage, through
// the store's onInstallStage option (the store itself has no crash code):
//   extracting (once the staging folder holds a file), npm-ci (the dependency installer running;
//   its pid written to PROCVISION_STORE_TEST_CRASH_PIDFILE), before-rename, before-registry-write.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';

const [storeRoot, zipPath] = process.argv.slice(2);
const { PackageStore } = await import(new URL('../../dist/store/index.js', import.meta.url).href);
const crashAt = process.env.PROCVISION_STORE_TEST_CRASH_AT;
const pidFile = process.env.PROCVISION_STORE_TEST_CRASH_PIDFILE;
const die = () => process.kill(process.pid, 'SIGKILL');

function onInstallStage(event) {
  if (crashAt === 'extracting') {
    if (event.stage !== 'extracting') die();
    setInterval(() => {
      if (existsSync(event.stagingDir) && readdirSync(event.stagingDir).length > 0) die();
    }, 1);
  } else if (crashAt === 'npm-ci' && event.stage === 'dependencies') {
    if (pidFile !== undefined && event.pid !== undefined) writeFileSync(pidFile, String(event.pid));
    setTimeout(die, 50);
  } else if (crashAt === event.stage) die();
}

try {
  const store = await PackageStore.open(storeRoot, { lock: { staleMs: 2000 }, ...(crashAt === undefined ? {} : { onInstallStage }) });
  const entry = await store.install(zipPath);
  console.log(JSON.stringify({ ok: true, name: entry.name, version: entry.version }));
  process.exit(0);
} catch (error) {
  console.log(JSON.stringify({ ok: false, code: error.code, message: error.message }));
  process.exit(1);
}
