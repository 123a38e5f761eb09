// Runs one store operation in its own process: node store-op.mjs <store> <op> <args...>
//   install <zip> | activate <name> <version> <pid> | switch <name> <version> <pid> | rollback <name> <pid> | uninstall <name> <version>
// Prints one JSON line: {ok, result?, code?, message?}.
// PROCVISION_STORE_TEST_PAUSE_AT=<intent>:<what> freezes this process (SIGSTOP to itself) at the
// first journal intent that matches, after it is durable and before the operation acts on it:
// write:registry.json, write:active.json, create:package, create:staging, remove:<name>.
// The test sends SIGCONT. Processes are not really started (a starter that runs none).
const [storeRoot, operation, ...args] = process.argv.slice(2);
const { PackageStore } = await import(new URL('../../dist/store/index.js', import.meta.url).href);
const pauseAt = process.env.PROCVISION_STORE_TEST_PAUSE_AT;
let paused = false;

function onJournal(_operation, intent) {
  if (paused || pauseAt === undefined) return;
  const what = intent.intent === 'write' ? intent.path.split('/').pop() : intent.intent === 'create' ? intent.role : intent.name;
  if (`${intent.intent}:${what}` !== pauseAt) return;
  paused = true;
  process.kill(process.pid, 'SIGSTOP');
}

const processStarter = async () => ({ stop: async () => undefined });
try {
  const store = await PackageStore.open(storeRoot, { processStarter, lock: { timeoutMs: 120_000 }, onJournal });
  let result;
  if (operation === 'install') result = await store.install(args[0]);
  else if (operation === 'activate') result = await store.activate(args[0], args[1], [args[2]]);
  else if (operation === 'switch') result = await store.switch(args[0], args[1], [args[2]]);
  else if (operation === 'rollback') result = await store.rollback(args[0], args[1]);
  else if (operation === 'uninstall') result = await store.uninstall(args[0], args[1], { force: args[2] === 'force' });
  else throw new Error(`unknown operation ${operation}`);
  await store.close();
  console.log(JSON.stringify({ ok: true, paused, result }));
  process.exit(0);
} catch (error) {
  console.log(JSON.stringify({ ok: false, paused, code: error.code, message: error.message }));
  process.exit(1);
}
