import { DEFAULT_MAX_DEFECTS } from '@procvision/manifest';

/** What the scaffold's `src/main.ts` is generated from. */
export interface AlgorithmTemplateInput {
  name: string;
  version: string;
  description: string;
  className: string;
  pids: string[];
}

/** The scaffold's `src/main.ts`: a working dark-spot detector with the places to change marked. */
export function algorithmSource(input: AlgorithmTemplateInput): string {
  return `import {
  BaseAlgorithm,
  ErrorCodes,
  readImage,
  type AlgorithmInfo,
  type ExecuteResult,
  type ImageMeta,
  type PreExecuteResult,
  type Rect,
  type RgbImage,
  type Session,
} from '@procvision/sdk';

// CHANGE: the product ids (PIDs) this algorithm inspects. They must equal manifest.json's
// "supported_pids" (\`procvision validate\` checks it).
const SUPPORTED_PIDS = ${JSON.stringify(input.pids)};

/** Side of the square cells the image is split into when looking for dark spots. */
const CELL_SIZE = 16;
/** The platform keeps at most ${DEFAULT_MAX_DEFECTS} defect rects per result (its default \`max_defects\`). */
const MAX_DEFECTS = ${DEFAULT_MAX_DEFECTS};

/**
 * ${input.description}
 *
 * The sample logic finds dark spots: a cell whose mean brightness is below \`dark_threshold\` is
 * a defect. CHANGE: replace it with your detection (load models in \`setup()\`).
 */
export class ${input.className} extends BaseAlgorithm {
  getInfo(): AlgorithmInfo {
    return {
      // name and version must equal manifest.json.
      name: ${JSON.stringify(input.name)},
      version: ${JSON.stringify(input.version)},
      description: ${JSON.stringify(input.description)},
      supported_pids: SUPPORTED_PIDS,
      // CHANGE: one entry per inspection step (index from 1) with the params the platform may
      // send; they are validated before your code sees them, and defaults are filled in.
      steps: [
        {
          index: 1,
          name: 'surface-check',
          description: 'find dark spots on the part',
          params: [
            {
              key: 'dark_threshold',
              type: 'int',
              description: 'mean brightness (0-255) below which a cell is a defect',
              required: false,
              default: 60,
              min: 0,
              max: 255,
            },
          ],
        },
      ],
    };
  }

  preExecute(
    stepIndex: number,
    pid: string,
    session: Session,
    userParams: Record<string, unknown>,
    sharedMemId: string,
    imageMeta: ImageMeta,
  ): PreExecuteResult {
    // CHANGE: check the conditions of the step (lighting, calibration). Never a verdict here.
    if (!SUPPORTED_PIDS.includes(pid)) {
      return { status: 'ERROR', error_code: ErrorCodes.invalidPid, message: \`unsupported pid \${pid}\` };
    }
    const fiducial = { x: 0, y: 0, width: Math.min(48, imageMeta.width), height: Math.min(48, imageMeta.height), label: 'fiducial' };
    return { status: 'OK', message: \`step \${stepIndex} ready\`, data: { calibration_rects: [fiducial] } };
  }

  async execute(
    stepIndex: number,
    pid: string,
    session: Session,
    userParams: Record<string, unknown>,
    sharedMemId: string,
    imageMeta: ImageMeta,
  ): Promise<ExecuteResult> {
    if (!SUPPORTED_PIDS.includes(pid)) {
      return { status: 'ERROR', error_code: ErrorCodes.invalidPid, message: \`unsupported pid \${pid}\` };
    }
    // The image comes from shared memory, as RGB pixels (never open files yourself).
    const image = await readImage(sharedMemId, imageMeta);
    const threshold = Number(userParams['dark_threshold']);
    const defects = findDarkSpots(image, threshold);
    const part: Rect = { x: 0, y: 0, width: image.width, height: image.height, label: 'part' };
    this.logger.info('step checked', { step: stepIndex, pid, defects: defects.length });
    // Figures about the algorithm itself travel with each result (debug.diagnostics) to the
    // runner's step outcome, the HTTP response and \`procvision run --report\`.
    this.diagnostics.publish('dark_threshold', threshold);
    if (defects.length === 0) {
      return { status: 'OK', message: 'no dark spot', data: { result_status: 'OK', position_rects: [part] } };
    }
    return {
      status: 'OK',
      message: \`\${defects.length} dark spot(s)\`,
      data: {
        result_status: 'NG',
        ng_reason: 'dark spot on the surface',
        defect_rects: defects.slice(0, MAX_DEFECTS),
        position_rects: [part],
        debug: { spots: defects.length, threshold },
      },
    };
  }
}

/** Groups adjacent dark cells into one rect each. */
function findDarkSpots(image: RgbImage, threshold: number): Rect[] {
  const columns = Math.ceil(image.width / CELL_SIZE);
  const rows = Math.ceil(image.height / CELL_SIZE);
  const brightness = new Float64Array(columns * rows);
  for (let row = 0; row < rows; row += 1) {
    for (let column = 0; column < columns; column += 1) {
      brightness[row * columns + column] = cellBrightness(image, column * CELL_SIZE, row * CELL_SIZE);
    }
  }
  const seen = new Uint8Array(columns * rows);
  const spots: Rect[] = [];
  for (let start = 0; start < brightness.length; start += 1) {
    if (seen[start] === 1 || (brightness[start] ?? 255) >= threshold) continue;
    let [minColumn, minRow, maxColumn, maxRow, darkest] = [columns, rows, 0, 0, 255];
    const stack = [start];
    seen[start] = 1;
    while (stack.length > 0) {
      const cell = stack.pop() ?? 0;
      const column = cell % columns;
      const row = Math.floor(cell / columns);
      [minColumn, minRow] = [Math.min(minColumn, column), Math.min(minRow, row)];
      [maxColumn, maxRow] = [Math.max(maxColumn, column), Math.max(maxRow, row)];
      darkest = Math.min(darkest, brightness[cell] ?? 255);
      for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]] as const) {
        const [nextColumn, nextRow] = [column + dx, row + dy];
        const next = nextRow * columns + nextColumn;
        if (nextColumn < 0 || nextRow < 0 || nextColumn >= columns || nextRow >= rows || seen[next] === 1) continue;
        if ((brightness[next] ?? 255) >= threshold) continue;
        seen[next] = 1;
        stack.push(next);
      }
    }
    const x = minColumn * CELL_SIZE;
    const y = minRow * CELL_SIZE;
    spots.push({
      x,
      y,
      width: Math.min(image.width, (maxColumn + 1) * CELL_SIZE) - x,
      height: Math.min(image.height, (maxRow + 1) * CELL_SIZE) - y,
      label: 'dark spot',
      score: Math.round((1 - darkest / Math.max(threshold, 1)) * 100) / 100,
    });
  }
  return spots;
}

/** Mean brightness of the cell whose top-left corner is (left, top). */
function cellBrightness(image: RgbImage, left: number, top: number): number {
  let sum = 0;
  let count = 0;
  for (let y = top; y < Math.min(top + CELL_SIZE, image.height); y += 1) {
    for (let x = left; x < Math.min(left + CELL_SIZE, image.width); x += 1) {
      const offset = (y * image.width + x) * 3;
      sum += ((image.data[offset] ?? 0) + (image.data[offset + 1] ?? 0) + (image.data[offset + 2] ?? 0)) / 3;
      count += 1;
    }
  }
  return count === 0 ? 255 : sum / count;
}
`;
}
