import { describe, expect, it } from 'vitest';
import { runBuiltScript } from './run-script.js';

describe('dist/main.js (the embedded runner)', () => {
  it('inspects the OK and the NG board through a real algorithm process and shuts down cleanly', async () => {
    const run = await runBuiltScript('main');
    expect(run.stderr).not.toMatch(/fault|unexpected/);
    expect(run.code).toBe(0);

    const verdicts = [...run.stdout.matchAll(/^(ok|ng)\.png step (\d) "[^"]+": status OK, verdict (OK|NG)/gm)].map(
      ([, sample, step, verdict]) => `${sample}${step}:${verdict}`,
    );
    expect(verdicts).toEqual(['ok1:OK', 'ok2:OK', 'ng1:NG', 'ng2:NG']);
    expect(run.stdout).toContain('(dark spot on board)');
    expect(run.stdout).toContain('(top-left screw missing)');
    // Step 1 stored the board in the session; the runner carried it to step 2.
    expect(run.stdout).toContain('ok.png session state: {"board":{"x":40,"y":40,"width":560,"height":400}}');
    // A missing required param is refused before the algorithm is called.
    expect(run.stdout).toMatch(/^ok\.png \(no roi\) step 1 "locate board": status ERROR, error 1006 invalid_params at validate/m);

    // Events and the algorithm's own log lines reached the embedder.
    expect(run.stderr).toMatch(/\[event\] algorithm-example@1\.0\.0 ready/);
    expect(run.stderr.match(/\[event\] session \S+ ended after 2 step\(s\)/g)).toHaveLength(2);
    expect(run.stderr).toMatch(/\[log\] debug algorithm algorithm-example session=\S+: step start/);
    expect(run.stderr).toMatch(/\[event\] algorithm-example exited: code 0, expected/);
  });
});
