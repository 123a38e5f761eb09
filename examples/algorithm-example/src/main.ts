import {
  type AlgorithmInfo,
  BaseAlgorithm,
  type ExecuteResult,
  type ImageMeta,
  type PreExecuteResult,
  type Rect,
  type RgbImage,
  type Session,
  readImage,
} from '@procvision/sdk';
import { algorithmInfo } from './algorithm-info.js';
import { findDarkBlobs } from './dark-blobs.js';
import { brightBoundingBox, meanLuma } from './luminance.js';

/** Normalised mean brightness (at 12.5 ms exposure) the camera must deliver. */
const brightnessRange = { min: 60, max: 235 };
/** A board pixel is at least this bright. */
const boardLuma = 128;
/** Size of the area checked for the top-left screw, from the board's top-left corner. */
const screwArea = { width: 160, height: 120 };
/** A screw head covers at least this many pixels; smaller dark blobs are dirt. */
const minimumScrewArea = 150;

/**
 * The example algorithm: step 1 locates the board and reports dark spots inside the region of
 * interest as defects; step 2 checks that the board's top-left screw is there.
 */
export class BoardInspector extends BaseAlgorithm {
  getInfo(): AlgorithmInfo {
    return algorithmInfo;
  }

  override onStepStart(stepIndex: number, session: Session): void {
    this.logger.debug('step start', { step: stepIndex, session: session.id });
  }

  async preExecute(
    stepIndex: number,
    _pid: string,
    session: Session,
    userParams: Record<string, unknown>,
    sharedMemId: string,
    imageMeta: ImageMeta,
  ): Promise<PreExecuteResult> {
    const image = await readImage(sharedMemId, imageMeta);
    const exposure = typeof userParams.exposure === 'number' ? userParams.exposure : 12.5;
    const brightness = meanLuma(image) * (12.5 / exposure);
    if (brightness < brightnessRange.min)
      return { status: 'ERROR', message: `image too dark (brightness ${brightness.toFixed(0)}); check the lighting`, error_code: '1002' };
    if (brightness > brightnessRange.max)
      return { status: 'ERROR', message: `image overexposed (brightness ${brightness.toFixed(0)}); lower the exposure`, error_code: '1002' };
    const calibration = stepIndex === 1 ? { ...(userParams.roi as Rect), label: 'roi' } : { ...screwRegion(image, session), label: 'screw-area' };
    return { status: 'OK', message: `brightness ${brightness.toFixed(0)} ok`, data: { calibration_rects: [calibration] }, debug: { brightness } };
  }

  async execute(
    stepIndex: number,
    _pid: string,
    session: Session,
    userParams: Record<string, unknown>,
    sharedMemId: string,
    imageMeta: ImageMeta,
  ): Promise<ExecuteResult> {
    const started = performance.now();
    const image = await readImage(sharedMemId, imageMeta);
    const result = stepIndex === 1 ? this.locateBoard(image, session, userParams) : this.checkScrew(image, session, userParams);
    this.diagnostics.publish('last_latency_ms', performance.now() - started);
    return result;
  }

  private locateBoard(image: RgbImage, session: Session, userParams: Record<string, unknown>): ExecuteResult {
    const board = brightBoundingBox(image, boardLuma);
    if (board === undefined)
      return {
        status: 'OK',
        data: { result_status: 'NG', ng_reason: 'board not found', defect_rects: [{ x: 0, y: 0, width: image.width, height: image.height }] },
      };
    session.set('board', board);
    const roi = userParams.roi as Rect;
    const spots = findDarkBlobs(image, roi, { cutoff: meanLuma(image, roi) * 0.5, stride: 2, minimumArea: 40 });
    if (spots.length > 0) {
      return {
        status: 'OK',
        message: `${spots.length} dark spot(s) on the board`,
        data: { result_status: 'NG', ng_reason: 'dark spot on board', defect_rects: spots.map((spot) => ({ ...spot.rect, label: 'spot' })) },
      };
    }
    return { status: 'OK', message: 'board located', data: { result_status: 'OK', position_rects: [{ ...board, label: 'board' }] } };
  }

  private checkScrew(image: RgbImage, session: Session, userParams: Record<string, unknown>): ExecuteResult {
    const region = screwRegion(image, session);
    const threshold = typeof userParams.threshold === 'number' ? userParams.threshold : 0.7;
    const stride = userParams.mode === 'accurate' ? 1 : 2;
    const blobs = findDarkBlobs(image, region, { cutoff: meanLuma(image, region, stride) * threshold, stride, minimumArea: 20 });
    const screw = blobs.find((blob) => blob.area >= minimumScrewArea);
    if (screw === undefined) {
      return {
        status: 'OK',
        message: 'no screw head in the top-left area',
        data: { result_status: 'NG', ng_reason: 'top-left screw missing', defect_rects: [{ ...region, label: 'screw-area' }] },
      };
    }
    return { status: 'OK', message: 'screw present', data: { result_status: 'OK', position_rects: [{ ...screw.rect, label: 'screw' }] } };
  }
}

/** The top-left corner area of the board found in step 1 (from the session), or of the image. */
function screwRegion(image: RgbImage, session: Session): Rect {
  const board = session.get<Rect>('board') ?? { x: 0, y: 0, width: image.width, height: image.height };
  return { x: board.x, y: board.y, width: Math.min(screwArea.width, image.width - board.x), height: Math.min(screwArea.height, image.height - board.y) };
}
