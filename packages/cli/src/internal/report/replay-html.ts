import type { ReplayedStep, ReplayReport } from '@procvision/runner/store';
import { confusionHtml } from './eval-html.js';
import { escapeXml } from './rect-overlay.js';

/** One changed step in the report, with its two annotated images (paths relative to the report), when the frames are at hand. */
export interface ReplayFigure {
  step: ReplayedStep;
  images?: { recorded: string; candidate: string };
}

/**
 * The replay report's index.html: the confusion table (recorded x candidate verdict), rect
 * and step-time figures, and every changed step with the recorded and the candidate's answer
 * drawn side by side on the recorded frame.
 */
export function replayReportHtml(report: ReplayReport & { max_disagreements: number; passed: boolean }, figures: readonly ReplayFigure[]): string {
  const { candidate } = report;
  const answer = (side: 'recorded' | 'candidate', step: ReplayedStep) => {
    const value = step[side];
    return `${side} <b class="${value.verdict === step.recorded.verdict ? '' : 'miss'}">${value.verdict}</b>${value.error_code === null ? '' : ` ${value.error_code}`} ${escapeXml(value.message)}`;
  };
  const items = figures
    .map(({ step, images }) => {
      const pictures =
        images === undefined
          ? ''
          : `<div class="pair"><figure><img src="${escapeXml(images.recorded)}" alt="recorded answer"><figcaption>${answer('recorded', step)}</figcaption></figure><figure><img src="${escapeXml(images.candidate)}" alt="candidate answer"><figcaption>${answer('candidate', step)}</figcaption></figure></div>`;
      const words = images === undefined ? `<p>${answer('recorded', step)}; ${answer('candidate', step)}</p>` : '';
      return `<section><h3>${escapeXml(step.id)} (${escapeXml(step.at)}, step ${step.step_index})</h3>${pictures}${words}
<p>rects: ${step.rects.matched} matched, ${step.rects.moved} moved, ${step.rects.lost} lost, ${step.rects.added} added; context <code>${escapeXml(JSON.stringify(step.context))}</code>, user params <code>${escapeXml(JSON.stringify(step.user_params))}</code></p></section>`;
    })
    .join('\n');
  const ms = (value: number | null) => (value === null ? 'n/a' : `${value} ms`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>replay ${escapeXml(candidate.name)} ${escapeXml(candidate.version)}: ${report.disagreements} disagreement(s)</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:90rem}img{max-width:100%;border:1px solid #ccc}table{border-collapse:collapse;margin:.5rem 0}
td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left}.miss{color:#ff1e1e}.pair{display:grid;grid-template-columns:1fr 1fr;gap:1rem}figure{margin:0}</style></head>
<body>
<h1>${escapeXml(candidate.name)} ${escapeXml(candidate.version)} on ${report.records} recorded step(s): ${report.disagreements} disagreement(s)${report.passed ? '' : ` <span class="miss">(more than ${report.max_disagreements})</span>`}</h1>
<p>recorded by ${report.recorded.map((version) => `${escapeXml(version.name)} ${escapeXml(version.version)} (${version.records})`).join(', ') || 'nothing'}</p>
${confusionHtml(report.confusion.recorded, 'recorded', 'candidate')}
<p>defect rects: ${report.rects.matched} matched, ${report.rects.moved} moved, ${report.rects.lost} lost, ${report.rects.added} added</p>
<p>step time p50 / p99: recorded ${ms(report.step_ms.recorded.p50_ms)} / ${ms(report.step_ms.recorded.p99_ms)}, candidate ${ms(report.step_ms.candidate.p50_ms)} / ${ms(report.step_ms.candidate.p99_ms)}</p>
<h2>Changed steps (${figures.length})</h2>
${items || '<p>none</p>'}
</body></html>
`;
}
