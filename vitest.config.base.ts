import type { ViteUserConfig } from 'vitest/config';

/**
 * The test settings every package shares: tests in `test/`, generous timeouts (most tests
 * start real child processes), and a JSON report that `scripts/test-summary.mjs` adds up.
 */
export const baseTestConfig: NonNullable<ViteUserConfig['test']> = {
  include: ['test/**/*.test.ts'],
  testTimeout: 30_000,
  hookTimeout: 30_000,
  reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
};
