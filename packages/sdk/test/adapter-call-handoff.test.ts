import { afterEach, describe, expect, it } from 'vitest';
import { AdapterHarness, stepData } from './adapter-harness.js';

let harness: AdapterHarness | undefined;
afterEach(() => harness?.kill());

describe('main thread -> worker hand-off (--algorithm-thread worker)', () => {
  it('answers back-to-back calls (mailbox), calls too big for the mailbox (message) and calls after an idle pause', async () => {
    harness = await AdapterHarness.started('scripted', { args: ['--algorithm-thread', 'worker'] });
    const big = { blob: 'x'.repeat(80 * 1024) };
    for (let index = 0; index < 60; index += 1) {
      const state = index % 3 === 2 ? big : { n: index };
      if (index % 10 === 5) await new Promise((resolve) => setTimeout(resolve, 40));
      const result = await harness.call(stepData('execute', 1, {}, { state }));
      expect(result.status, JSON.stringify(result).slice(0, 200)).toBe('OK');
      expect(result.session_state).toMatchObject(state);
    }
  });
});
