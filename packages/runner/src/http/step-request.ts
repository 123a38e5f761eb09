import type { StepRequest } from '../process/step-outcome.js';
import { toFrame } from './image-input.js';
import type { StepRequestBody } from './request-schemas.js';

/** The engine's {@link StepRequest} of a step request body: frames read, optional fields kept. */
export async function stepRequestOf(body: StepRequestBody): Promise<StepRequest> {
  const frame = await toFrame(body.image, body.image_meta);
  const guideFrame = body.guide_image === undefined ? undefined : await toFrame(body.guide_image, body.guide_image_meta);
  return {
    stepIndex: body.step_index,
    frame,
    ...(body.user_params ? { userParams: body.user_params } : {}),
    ...(guideFrame ? { guideFrame } : {}),
    ...(body.guide_info === undefined ? {} : { guideInfo: body.guide_info }),
    ...(body.step_desc === undefined ? {} : { stepDesc: body.step_desc }),
  };
}
