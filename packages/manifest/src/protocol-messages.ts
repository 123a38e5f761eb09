import { z } from 'zod';
import { callDataSchema } from './call-data.js';
import { errorCodeSchema } from './error-code-schema.js';
import { callStatusSchema, debugSchema } from './results.js';

/** The protocol major version this package speaks. */
export const PROTOCOL_VERSION = 1;

/** Sent on every frame; an older peer that omits it is accepted and stamped on receipt. */
const stamp = { timestamp_ms: z.number().default(() => Date.now()) };
const requestId = z.string().min(1);

/**
 * An extension of protocol v1 (peers that do not know it ignore it): on an ERROR result,
 * which typed SDK error produced it. `recoverable` may be retried by the runner; `fatal`
 * restarts the process and fails the call.
 */
export const errorKindSchema = z.enum(['recoverable', 'fatal']);

/** Adapter -> runner, first frame: protocol, sdk_version, capabilities. */
export const adapterHelloSchema = z.object({
  type: z.literal('hello'),
  ...stamp,
  protocol: z.number().int(),
  sdk_version: z.string(),
  capabilities: z.array(z.string()),
});
/** Runner -> adapter, handshake reply with the heartbeat settings. */
export const runnerHelloSchema = z.object({
  type: z.literal('hello'),
  ...stamp,
  protocol: z.number().int(),
  runner_version: z.string(),
  heartbeat_interval_ms: z.number().int().positive(),
  heartbeat_grace_ms: z.number().int().positive(),
});
/** Runner -> adapter heartbeat. */
export const pingMessageSchema = z.object({ type: z.literal('ping'), ...stamp, request_id: requestId });
/** Adapter -> runner heartbeat answer. */
export const pongMessageSchema = z.object({ type: z.literal('pong'), ...stamp, request_id: requestId, status: z.literal('OK') });
/** Runner -> adapter: run one phase (`data`, see {@link callDataSchema}). */
export const callMessageSchema = z.object({ type: z.literal('call'), ...stamp, request_id: requestId, data: callDataSchema });
/** Adapter -> runner: the outcome of one call. `latency_ms`, `session_state` and `debug` may be absent. */
export const resultMessageSchema = z.object({
  type: z.literal('result'),
  ...stamp,
  request_id: requestId,
  status: callStatusSchema,
  message: z.string(),
  error_code: errorCodeSchema.optional(),
  data: z.record(z.string(), z.unknown()),
  debug: debugSchema.optional(),
  session_state: z.record(z.string(), z.unknown()).optional(),
  latency_ms: z.number().min(0).optional(),
  error_kind: errorKindSchema.optional(),
});
/** Either way: a failure not tied to a result (`request_id` null when there is none). */
export const errorMessageSchema = z.object({
  type: z.literal('error'),
  ...stamp,
  request_id: requestId.nullable(),
  status: z.literal('ERROR'),
  message: z.string(),
  error_code: errorCodeSchema,
});
/** Runner -> adapter: run teardown and exit. */
export const shutdownMessageSchema = z.object({ type: z.literal('shutdown'), ...stamp });
/** Adapter -> runner: teardown done, exiting. */
export const shutdownAckSchema = z.object({ type: z.literal('shutdown'), ...stamp, status: z.literal('OK') });

/** Which typed SDK error produced an ERROR result (see {@link errorKindSchema}). */
export type ErrorKind = z.infer<typeof errorKindSchema>;
/** Adapter -> runner handshake. */
export type AdapterHello = z.infer<typeof adapterHelloSchema>;
/** Runner -> adapter handshake reply. */
export type RunnerHello = z.infer<typeof runnerHelloSchema>;
/** Heartbeat request. */
export type PingMessage = z.infer<typeof pingMessageSchema>;
/** Heartbeat answer. */
export type PongMessage = z.infer<typeof pongMessageSchema>;
/** A call (always in the nested `data` form once parsed). */
export type CallMessage = z.infer<typeof callMessageSchema>;
/** The outcome of a call. */
export type ResultMessage = z.infer<typeof resultMessageSchema>;
/** A failure frame. */
export type ErrorMessage = z.infer<typeof errorMessageSchema>;
/** Shutdown request. */
export type ShutdownMessage = z.infer<typeof shutdownMessageSchema>;
/** Shutdown acknowledgement. */
export type ShutdownAck = z.infer<typeof shutdownAckSchema>;

/** Every frame an adapter sends (the runner receives). */
export const adapterMessageSchema = z.discriminatedUnion('type', [
  adapterHelloSchema,
  pongMessageSchema,
  resultMessageSchema,
  errorMessageSchema,
  shutdownAckSchema,
]);
/** Every frame a runner sends (the adapter receives). */
export const runnerMessageSchema = z.discriminatedUnion('type', [
  runnerHelloSchema,
  pingMessageSchema,
  callMessageSchema,
  errorMessageSchema,
  shutdownMessageSchema,
]);
/** A frame an adapter sends. */
export type AdapterMessage = z.infer<typeof adapterMessageSchema>;
/** A frame a runner sends. */
export type RunnerMessage = z.infer<typeof runnerMessageSchema>;
