import type { ExecuteResult, PreExecuteResult, Rect } from '@procvision/manifest';

/** The three kinds of rects a report draws, each in its own colour. */
export const rectKinds = {
  calibration: { colour: '#1e6fff', title: 'calibration', fillOpacity: 0.25 },
  defect: { colour: '#ff1e1e', title: 'defect', fillOpacity: 0.35 },
  position: { colour: '#14c850', title: 'position', fillOpacity: 0.1 },
} as const;

/** A kind of rect in a report. */
export type RectKind = keyof typeof rectKinds;

/** One rect to draw, with its kind. */
export interface DrawnRect {
  kind: RectKind;
  rect: Rect;
}

/** The calibration, defect and position rects of a pre_execute and an execute result. */
export function rectsOf(preExecute: PreExecuteResult | undefined, execute: ExecuteResult | undefined): DrawnRect[] {
  const of = (kind: RectKind, rects: readonly Rect[] | undefined): DrawnRect[] => (rects ?? []).map((rect) => ({ kind, rect }));
  return [
    ...of('calibration', preExecute?.data?.calibration_rects),
    ...of('position', execute?.data?.position_rects),
    ...of('defect', execute?.data?.defect_rects),
  ];
}

/**
 * An SVG the size of the image with each rect outlined and tinted in its kind's colour and
 * labelled above its top-left corner (`label`, score, or the kind).
 */
export function overlaySvg(width: number, height: number, rects: readonly DrawnRect[]): string {
  const stroke = Math.max(2, Math.round(Math.min(width, height) / 200));
  const fontSize = Math.max(11, Math.round(Math.min(width, height) / 40));
  const shapes = rects.map(({ kind, rect }) => {
    const { colour, title, fillOpacity } = rectKinds[kind];
    const text = escapeXml([rect.label ?? title, rect.score === undefined ? '' : rect.score.toFixed(2)].filter(Boolean).join(' '));
    const labelY = rect.y >= fontSize + 4 ? rect.y - 4 : rect.y + rect.height + fontSize + 2;
    return [
      `<rect x="${rect.x}" y="${rect.y}" width="${rect.width}" height="${rect.height}" fill="${colour}" fill-opacity="${fillOpacity}" stroke="${colour}" stroke-width="${stroke}"/>`,
      `<text x="${rect.x}" y="${labelY}" font-family="DejaVu Sans, Arial, sans-serif" font-size="${fontSize}" fill="${colour}" stroke="#000" stroke-width="0.4">${text}</text>`,
    ].join('');
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${shapes.join('')}</svg>`;
}

/** Escapes text for XML and HTML. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
