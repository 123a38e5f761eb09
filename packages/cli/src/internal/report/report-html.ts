import { escapeXml, rectKinds, type DrawnRect } from './rect-overlay.js';

/** What report.json holds and report.html shows. */
export interface RunReport {
  project: string;
  name: string;
  version: string;
  pid: string;
  step: number;
  image: { file: string; width: number; height: number };
  /** The params as given (`--params`). */
  user_params: Record<string, unknown>;
  /** The params the algorithm received: the given ones checked against the step schema, defaults filled in. */
  effective_params: Record<string, unknown> | null;
  /** The stacks of what pre_execute/execute threw, mapped to the sources (`src/main.ts:line:col`). */
  thrown: string[];
  pre_execute: unknown;
  execute: unknown;
  /** What the algorithm published through `this.diagnostics` (null when nothing). */
  diagnostics: Record<string, unknown> | null;
  timings: Record<string, number>;
  created_at: string;
}

/** A self-contained HTML page: verdict, annotated image, rect table, raw results. */
export function reportHtml(report: RunReport, rects: readonly DrawnRect[]): string {
  const execute = report.execute as { status?: string; data?: { result_status?: string; ng_reason?: string } } | undefined;
  const verdict = execute?.status === 'OK' ? (execute.data?.result_status ?? '?') : `ERROR`;
  const verdictColour = verdict === 'OK' ? rectKinds.position.colour : rectKinds.defect.colour;
  const rows = rects
    .map(
      ({ kind, rect }) =>
        `<tr><td style="color:${rectKinds[kind].colour}">${kind}</td><td>${escapeXml(rect.label ?? '')}</td><td>${rect.x}, ${rect.y}</td><td>${rect.width} x ${rect.height}</td><td>${rect.score ?? ''}</td></tr>`,
    )
    .join('\n');
  const json = (value: unknown) => escapeXml(JSON.stringify(value, null, 2));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(report.name)} step ${report.step} ${escapeXml(report.pid)}: ${verdict}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:72rem}img{max-width:100%;border:1px solid #ccc}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left}pre{background:#f6f6f6;padding:1rem;overflow:auto}</style></head>
<body>
<h1>${escapeXml(report.name)} ${escapeXml(report.version)}: <span style="color:${verdictColour}">${verdict}</span></h1>
<p>PID <b>${escapeXml(report.pid)}</b>, step ${report.step}, image <code>${escapeXml(report.image.file)}</code> (${report.image.width} x ${report.image.height}), ${escapeXml(report.created_at)}</p>
${execute?.data?.ng_reason ? `<p>NG reason: <b>${escapeXml(execute.data.ng_reason)}</b></p>` : ''}
<img src="annotated.png" alt="the image with the result rects drawn">
<h2>Rects</h2>
<table><tr><th>kind</th><th>label</th><th>x, y</th><th>size</th><th>score</th></tr>
${rows || '<tr><td colspan="5">none</td></tr>'}
</table>
${report.thrown.length === 0 ? '' : `<h2>Thrown</h2>${report.thrown.map((stack) => `<pre>${escapeXml(stack)}</pre>`).join('\n')}`}
<h2>pre_execute</h2><pre>${json(report.pre_execute)}</pre>
<h2>execute</h2><pre>${json(report.execute)}</pre>
${report.diagnostics === null ? '' : `<h2>diagnostics</h2><pre>${json(report.diagnostics)}</pre>`}
<h2>Timings (ms)</h2><pre>${json(report.timings)}</pre>
<h2>Params (after defaults)</h2><pre>${json(report.effective_params ?? report.user_params)}</pre>
<h2>Params as given</h2><pre>${json(report.user_params)}</pre>
</body></html>
`;
}
