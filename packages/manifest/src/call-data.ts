import { z } from 'zod';
import { imageMetaSchema } from './image-meta.js';

/** Which method a `call` runs: `pre` (preExecute), `execute`, `info` (getInfo), `reset`. */
export const callPhaseSchema = z.enum(['pre', 'execute', 'info', 'reset']);
/** Which method a `call` runs. */
export type CallPhase = z.infer<typeof callPhaseSchema>;

/** A session on the wire: `id`, read-only `context`, and the key-value `state` the runner owns. */
export const sessionWireSchema = z.object({
  id: z.string().min(1),
  context: z.record(z.string(), z.unknown()).default({}),
  state: z.record(z.string(), z.unknown()).default({}),
});
/** A session on the wire. */
export type SessionWire = z.infer<typeof sessionWireSchema>;

/** `call.data` for `pre` and `execute`: step, pid, session, user params, frame id and meta. */
export const stepCallDataSchema = z.object({
  phase: z.enum(['pre', 'execute']),
  step_index: z.number().int().min(1),
  pid: z.string().min(1),
  session: sessionWireSchema,
  user_params: z.record(z.string(), z.unknown()).default({}),
  shared_mem_id: z.string().min(1),
  image_meta: imageMetaSchema,
});
/** `call.data` for `info`: nothing else is needed. */
export const infoCallDataSchema = z.object({ phase: z.literal('info') });
/** `call.data` for `reset`: the session to reset. */
export const resetCallDataSchema = z.object({ phase: z.literal('reset'), session: sessionWireSchema });

/** `call.data`, by phase (docs/spec/protocol.md). */
export const callDataSchema = z.discriminatedUnion('phase', [stepCallDataSchema, infoCallDataSchema, resetCallDataSchema]);
/** `call.data`, by phase. */
export type CallData = z.infer<typeof callDataSchema>;
/** `call.data` of a `pre` or `execute` call. */
export type StepCallData = z.infer<typeof stepCallDataSchema>;
