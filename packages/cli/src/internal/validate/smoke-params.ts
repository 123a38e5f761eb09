import type { ParamSpec, StepSpec } from '@procvision/manifest';

/**
 * User params for a smoke call: each param's default, else a value its schema accepts
 * (the minimum of a number, the first enum choice, a small rect inside the image ...).
 */
export function smokeParams(step: StepSpec, image: { width: number; height: number }): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const spec of step.params) {
    if (spec.default !== undefined || spec.required === false) continue;
    params[spec.key] = sampleValue(spec, image);
  }
  return params;
}

function sampleValue(spec: ParamSpec, image: { width: number; height: number }): unknown {
  switch (spec.type) {
    case 'int':
      return Math.ceil(spec.min ?? (spec.max !== undefined ? Math.min(0, spec.max) : 0));
    case 'float':
      return spec.min ?? (spec.max !== undefined ? Math.min(0, spec.max) : 0);
    case 'bool':
      return false;
    case 'string':
      return 'x'.repeat(Math.max(1, spec.min_length ?? 1));
    case 'enum':
      return spec.choices[0];
    case 'rect':
      return { x: 0, y: 0, width: Math.min(16, image.width), height: Math.min(16, image.height) };
  }
}
