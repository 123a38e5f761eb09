// Installs a zip into a store in its own process: node install-zip.mjs <store> <zip>.
// Prints one JSON line: {ok, name?, version?, code?, message?, lockedAt?, doneAt?}.
const [storeRoot, zipPath] = process.argv.slice(2);
const { PackageStore } = await import(new URL('../../dist/store/index.js', import.meta.url).href);
try {
  const store = await PackageStore.open(storeRoot, { lock: { staleMs: 2000 } });
  const entry = await store.install(zipPath);
  console.log(JSON.stringify({ ok: true, name: entry.name, version: entry.version }));
} catch (error) {
  console.log(JSON.stringify({ ok: false, code: error.code, message: error.message }));
  process.exitCode = 1;
}
