import { afterEach, describe, expect, it } from 'vitest';
import { AdapterHarness, stepData } from './adapter-harness.js';

let harness: AdapterHarness | undefined;
afterEach(() => harness?.kill());

const guideline = 'session state is above the 100 KB guideline';

describe('session state size guideline', () => {
  it('warns on stderr, naming the session, only when the returned state is above 100 KB', async () => {
    harness = await AdapterHarness.started('scripted');
    const small = await harness.call(stepData('execute', 1, {}, { id: 'sid-small', state: { note: 'x'.repeat(1000) } }));
    expect(small.status).toBe('OK');
    expect(harness.stderr).not.toContain(guideline);
    const large = await harness.call(stepData('execute', 1, {}, { id: 'sid-large', state: { blob: 'x'.repeat(120 * 1024) } }));
    expect(large.session_state.blob).toHaveLength(120 * 1024);
    // stderr and stdout are separate pipes: give the log line a moment to be read.
    for (let waited = 0; !harness.stderr.includes(guideline) && waited < 2000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    const warning = harness.stderr.split('\n').find((line) => line.includes(guideline));
    expect(JSON.parse(warning ?? '{}')).toMatchObject({ level: 'warn', session_id: 'sid-large', keys: expect.arrayContaining(['blob']) });
  });
});
