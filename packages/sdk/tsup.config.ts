import { defineConfig, type Options } from 'tsup';
import { baseConfig } from '../../tsup.config.base.js';

/**
 * Every dist file is a single module, with no shared chunks: Node 20's ES module loader pays an
 * asynchronous read, a resolve and a compile per file, and the adapter used to load nine chunks
 * before its `hello` (docs/design.md, "Adapter speed"). What the adapter shares with the library
 * (one `Session` class and logger for the algorithm and the adapter) it imports from
 * `./index.js`; the worker mode's two modules, loaded only with `--algorithm-thread worker`,
 * stay files of their own.
 */
const sharedModules: [RegExp, string][] = [
  [/(^|\/)session\.js$/, './index.js'],
  [/(^|\/)logger\.js$/, './index.js'],
  [/(^|\/)early-start\.js$/, './adapter-early-start.js'],
  [/(^|\/)start-adapter\.js$/, './adapter-start-server.js'],
];

/** Adapter sources (the bin, the worker and src/internal/adapter/), not the library's. */
const adapterSource = /[\\/]src[\\/](adapter-[^\\/]+\.ts|internal[\\/]adapter[\\/])/;

const importSharedFromDistFiles: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'import-shared-from-dist-files',
  setup(build) {
    build.onResolve({ filter: /\.js$/ }, (args) => {
      if (args.kind === 'entry-point' || !adapterSource.test(args.importer)) return undefined;
      const shared = sharedModules.find(([pattern]) => pattern.test(args.path));
      return shared === undefined ? undefined : { path: shared[1], external: true };
    });
  },
};

export default defineConfig({
  ...baseConfig,
  entry: {
    index: 'src/index.ts',
    'adapter-bin': 'src/adapter-bin.ts',
    'adapter-worker': 'src/adapter-worker.ts',
    'adapter-early-start': 'src/internal/adapter/early-start.ts',
    'adapter-start-server': 'src/internal/adapter/start-adapter.ts',
  },
  dts: { entry: { index: 'src/index.ts' } },
  // Plain constants: copied in at build time, two files fewer to load at start-up.
  noExternal: ['@procvision/manifest/limits'],
  esbuildPlugins: [importSharedFromDistFiles],
});
