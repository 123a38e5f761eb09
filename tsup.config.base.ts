import type { Options } from 'tsup';

/**
 * The one build config every package spreads: ESM only, Node 20 target,
 * declarations, source maps. A package adds its own `entry` list.
 */
export const baseConfig: Options = {
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  dts: true,
  sourcemap: true,
  clean: true,
  splitting: false,
  treeshake: true,
};
