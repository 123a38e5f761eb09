import { defineConfig } from 'vitest/config';

/**
 * `pnpm container:test` (from the repository root): the runner image built with buildah and run
 * with podman (container/*.test.ts); not part of `pnpm test`, which only runs test/.
 */
export default defineConfig({
  test: {
    include: ['container/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 1_800_000,
    fileParallelism: false,
    reporters: ['default'],
  },
});
