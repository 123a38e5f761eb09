import { relative } from 'node:path';
import type { EvalDocument } from '../golden/eval-document.js';
import { escapeXml, rectKinds } from './rect-overlay.js';

const style = `body{font-family:system-ui,sans-serif;margin:2rem;max-width:80rem}img{max-width:100%;border:1px solid #ccc}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left}.miss{color:${rectKinds.defect.colour}}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(22rem,1fr));gap:1rem}figure{margin:0}`;

/** A confusion table as HTML rows: one row per reference verdict, one column per candidate verdict. */
export function confusionHtml(rows: Record<string, Record<string, number>>, rowTitle: string, columnTitle: string): string {
  const columns = ['OK', 'NG', 'ERROR'];
  return `<table><tr><th></th>${columns.map((column) => `<th>${columnTitle} ${column}</th>`).join('')}</tr>
${Object.entries(rows)
  .map(
    ([row, cells]) =>
      `<tr><th>${rowTitle} ${row}</th>${columns.map((column) => `<td${row === column ? '' : ' class="miss"'}>${cells[column] ?? 0}</td>`).join('')}</tr>`,
  )
  .join('\n')}</table>`;
}

/**
 * The eval report's index.html: confusion table, NG precision and recall, timings, each miss
 * with its annotated image (the miss's own run report beside it), and every image's result.
 */
export function evalReportHtml(document: EvalDocument): string {
  const base = document.report?.directory ?? '.';
  const misses = document.results.filter((result) => !result.match);
  const figures = misses
    .map((result) => {
      const folder = result.report === undefined ? undefined : relative(base, result.report);
      const image =
        folder === undefined
          ? ''
          : `<a href="${escapeXml(folder)}/report.html"><img src="${escapeXml(folder)}/annotated.png" alt="${escapeXml(result.file)} annotated"></a>`;
      return `<figure>${image}<figcaption><b>${escapeXml(result.file)}</b>: expected ${result.expected}, got <span class="miss">${result.got}</span>${result.error_code === null ? '' : ` ${result.error_code}`} ${escapeXml(result.message)}</figcaption></figure>`;
    })
    .join('\n');
  const rows = document.results
    .map(
      (result) =>
        `<tr><td${result.match ? '' : ' class="miss"'}>${result.match ? 'match' : 'MISS'}</td><td>${escapeXml(result.file)}</td><td>${result.expected}</td><td>${result.got}</td><td>${escapeXml(result.message)}</td><td>${result.execute_ms ?? ''}</td></tr>`,
    )
    .join('\n');
  const changed = document.baseline?.changed ?? [];
  const fmt = (value: number | null) => (value === null ? 'n/a' : value.toFixed(3));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>eval ${escapeXml(document.name)} ${escapeXml(document.version)}: ${document.misses} miss(es)</title><style>${style}</style></head>
<body>
<h1>${escapeXml(document.name)} ${escapeXml(document.version)}: ${document.matched} of ${document.images} match</h1>
<p>PID <b>${escapeXml(document.pid)}</b>, step ${document.step}, golden set <code>${escapeXml(document.folder)}</code> (${document.source})</p>
${confusionHtml(document.confusion.expected, 'expected', 'got')}
<p>NG precision ${fmt(document.ng.precision)}, recall ${fmt(document.ng.recall)}; execute p50 ${document.execute.p50_ms ?? 'n/a'} ms, p99 ${document.execute.p99_ms ?? 'n/a'} ms</p>
${document.baseline === undefined ? '' : `<h2>Baseline: ${changed.length} changed</h2><ul>${changed.map((change) => `<li>${escapeXml(change.file)}: ${change.before} &rarr; ${change.after}</li>`).join('')}</ul>`}
<h2>Misses (${misses.length})</h2>
<div class="grid">${figures || '<p>none</p>'}</div>
<h2>Every image</h2>
<table><tr><th></th><th>file</th><th>expected</th><th>got</th><th>message</th><th>execute ms</th></tr>
${rows}
</table>
</body></html>
`;
}
