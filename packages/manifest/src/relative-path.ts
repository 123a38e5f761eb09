import { z } from 'zod';
import { relativePathProblem } from './internal/relative-path.js';

/** A path relative to the package root, forward slashes, never absolute, never `..`. */
export const relativePathSchema = z.string().superRefine((value, ctx) => {
  const problem = relativePathProblem(value);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});

/** A path relative to the package root (`models/a01.onnx`). */
export type RelativePath = z.infer<typeof relativePathSchema>;
