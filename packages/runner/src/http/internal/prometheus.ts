/** Label values of one series, by label name. */
export type Labels = Record<string, string>;

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labelText(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([name, value]) => `${name}="${escapeLabel(value)}"`).join(',')}}`;
}

function formatNumber(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  return Number.isInteger(value) ? String(value) : value.toPrecision(6).replace(/\.?0+$/, '');
}

/** A metric family that renders itself in the Prometheus text exposition format. */
export interface Metric {
  render(): string;
}

abstract class Family implements Metric {
  constructor(
    protected readonly name: string,
    protected readonly help: string,
    protected readonly type: 'counter' | 'gauge' | 'histogram',
  ) {}

  protected header(): string {
    return `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} ${this.type}\n`;
  }

  abstract render(): string;
}

/** A monotonically increasing count per label set. */
export class Counter extends Family {
  private readonly series = new Map<string, { labels: Labels; value: number }>();

  constructor(name: string, help: string) {
    super(name, help, 'counter');
  }

  /** Adds `amount` (default 1) to the series of `labels`. */
  inc(labels: Labels = {}, amount = 1): void {
    const key = labelText(labels);
    const entry = this.series.get(key) ?? { labels, value: 0 };
    entry.value += amount;
    this.series.set(key, entry);
  }

  render(): string {
    const lines = [...this.series.values()].map((entry) => `${this.name}${labelText(entry.labels)} ${formatNumber(entry.value)}\n`);
    return this.header() + lines.join('');
  }
}

/** A value read when scraped, one per label set. */
export class Gauge extends Family {
  constructor(
    name: string,
    help: string,
    private readonly read: () => ReadonlyArray<{ labels: Labels; value: number }>,
  ) {
    super(name, help, 'gauge');
  }

  render(): string {
    return this.header() + this.read().map((entry) => `${this.name}${labelText(entry.labels)} ${formatNumber(entry.value)}\n`).join('');
  }
}

/** Cumulative buckets, sum and count per label set (values in seconds). */
export class Histogram extends Family {
  private readonly series = new Map<string, { labels: Labels; buckets: number[]; sum: number; count: number }>();

  constructor(
    name: string,
    help: string,
    private readonly bounds: readonly number[],
  ) {
    super(name, help, 'histogram');
  }

  /** Records one observation. */
  observe(labels: Labels, value: number): void {
    const key = labelText(labels);
    const entry = this.series.get(key) ?? { labels, buckets: this.bounds.map(() => 0), sum: 0, count: 0 };
    for (const [index, bound] of this.bounds.entries()) if (value <= bound) entry.buckets[index]! += 1;
    entry.sum += value;
    entry.count += 1;
    this.series.set(key, entry);
  }

  render(): string {
    let text = this.header();
    for (const entry of this.series.values()) {
      for (const [index, bound] of this.bounds.entries()) {
        text += `${this.name}_bucket${labelText({ ...entry.labels, le: formatNumber(bound) })} ${entry.buckets[index]}\n`;
      }
      text += `${this.name}_bucket${labelText({ ...entry.labels, le: '+Inf' })} ${entry.count}\n`;
      text += `${this.name}_sum${labelText(entry.labels)} ${formatNumber(entry.sum)}\n`;
      text += `${this.name}_count${labelText(entry.labels)} ${entry.count}\n`;
    }
    return text;
  }
}
