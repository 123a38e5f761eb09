import { describe, expect, it } from 'vitest';
import { imageMetaSchema, rectOutsideImage } from '../src/index.js';
import { formatIssues } from '../src/internal/format-issues.js';
import { expectIssue } from './fixtures.js';

const meta = { width: 1920, height: 1200, timestamp_ms: 1714032000123, camera_id: 'cam-01' };
const issuesOf = (value: unknown) => formatIssues(imageMetaSchema.safeParse(value, { reportInput: true }).error!.issues);

describe('image_meta', () => {
  it('carries width, height, timestamp_ms, camera_id and an optional color_space', () => {
    expect(imageMetaSchema.parse(meta)).toEqual(meta);
    for (const colorSpace of ['RGB', 'BGR', 'GRAY']) expect(imageMetaSchema.parse({ ...meta, color_space: colorSpace }).color_space).toBe(colorSpace);
  });
  it('rejects bad sizes, missing fields and unknown colour spaces', () => {
    expectIssue(issuesOf({ ...meta, width: 0 }), 'width', 'expected a number > 0, got 0');
    expectIssue(issuesOf({ ...meta, height: 1.5 }), 'height', 'expected an integer, got 1.5');
    expectIssue(issuesOf({ ...meta, camera_id: undefined }), 'camera_id', 'required');
    expectIssue(issuesOf({ ...meta, color_space: 'YUV' }), 'color_space', 'expected "RGB" or "BGR" or "GRAY", got "YUV"');
  });
});

describe('rectOutsideImage', () => {
  it('accepts a rect touching the far edges and names a rect that overflows', () => {
    expect(rectOutsideImage({ x: 90, y: 40, width: 10, height: 10 }, { width: 100, height: 50 })).toBeNull();
    expect(rectOutsideImage({ x: 0, y: 45, width: 10, height: 10 }, { width: 100, height: 50 })).toContain('inside the 100x50 image');
  });
});
