import type { StepRequest } from '../process/step-outcome.js';
import { type BodyImage, type FrameSource, toFrame } from './image-input.js';
import type { StepRequestBody } from './request-schemas.js';

/** A step request in any of its forms: the JSON body, or fields from the query/headers or a multipart JSON part with the images as bytes. */
export type StepInput = Omit<StepRequestBody, 'image' | 'guide_image'> & {
  image: StepRequestBody['image'] | BodyImage;
  guide_image?: StepRequestBody['image'] | BodyImage;
};

/**
 * The engine's {@link StepRequest} of a step request: frames read through `source`
 * (bounded path reads, the pixel limit, raw frames checked), optional fields kept.
 */
export async function stepRequestOf(body: StepInput, source: FrameSource): Promise<StepRequest> {
  const frame = await toFrame(body.image, body.image_meta, source);
  const guideFrame =
    body.guide_image === undefined
      ? undefined
      : await toFrame(body.guide_image, body.guide_image_meta, { ...source, field: 'guide_image', metaField: (key) => `guide_image_meta.${key}` });
  return {
    stepIndex: body.step_index,
    frame,
    ...(body.user_params ? { userParams: body.user_params } : {}),
    ...(guideFrame ? { guideFrame } : {}),
    ...(body.guide_info === undefined ? {} : { guideInfo: body.guide_info }),
    ...(body.step_desc === undefined ? {} : { stepDesc: body.step_desc }),
  };
}
