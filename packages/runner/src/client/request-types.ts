import type { z } from 'zod';
import type { executeRequestSchema, stepRequestSchema } from '../http/request-schemas.js';

/** The body of a step as a client writes it (`POST /sessions/{id}/steps`). */
export type ClientStepRequest = z.input<typeof stepRequestSchema>;

/** The body of a one-shot step as a client writes it (`POST /execute`). */
export type ClientExecuteRequest = z.input<typeof executeRequestSchema>;
