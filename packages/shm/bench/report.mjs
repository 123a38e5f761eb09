// Shared helpers of the benches: median of samples and one JSON line per figure on stdout.
export function median(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export function report(bench, value, unit, baselineName, baseline) {
  const round = (number) => Number(number.toPrecision(4));
  process.stdout.write(
    `${JSON.stringify({ bench, value: round(value), unit, baseline_name: baselineName, baseline: round(baseline), ratio: round(value / baseline) })}\n`,
  );
}
