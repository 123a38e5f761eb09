// Cold start of `procvision --help` (commands are lazy-loaded: neither sharp nor the runner is
// imported), against a bare `node -e 0`. One JSON line per figure on stdout.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const runs = 15;

function medianMs(args) {
  const times = [];
  for (let run = 0; run < runs; run += 1) {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { stdio: 'ignore' });
    if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((left, right) => left - right);
  return times[Math.floor(times.length / 2)];
}

const baseline = medianMs(['-e', '0']);
const value = medianMs([bin, '--help']);
const round = (number) => Math.round(number * 10) / 10;
console.log(
  JSON.stringify({
    bench: 'cli.help_cold_start',
    value: round(value),
    unit: 'ms',
    baseline_name: 'node -e 0',
    baseline: round(baseline),
    ratio: round(value / baseline),
  }),
);
