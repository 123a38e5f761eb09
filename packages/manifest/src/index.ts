/**
 * @packageDocumentation
 * Every ProcVision file and wire contract as zod schemas, with inferred types.
 */
export { errorCodes, ErrorCodes, retryableErrorCodes, isErrorCode } from './error-codes.js';
export type { ErrorCode, ErrorCodeName, NamedErrorCodes } from './error-codes.js';
export { errorCodeSchema } from './error-code-schema.js';
export { ProcVisionError } from './procvision-error.js';
export type { ProcVisionErrorClass, ProcVisionErrorJson, ProcVisionErrorOptions } from './procvision-error.js';
export { DEFAULT_MAX_FRAME_BYTES, FrameDecoder, FrameError, encodeFrame, encodeFrameInto } from './frame-codec.js';
export type { FrameDecoderOptions, FrameErrorReason } from './frame-codec.js';
export { ContractError, formatContractIssues } from './contract-error.js';
export type { ContractIssue } from './contract-error.js';

export {
  MAX_SUPPORTED_PIDS,
  SUPPORTED_PIDS_WARNING_LIMIT,
  isLegacyVersion,
  packageNameSchema,
  packageVersionSchema,
  pidSchema,
  supportedPidsSchema,
} from './common-fields.js';
export { relativePathSchema } from './relative-path.js';
export type { RelativePath } from './relative-path.js';
export { entryPointSchema, parseEntryPoint } from './entry-point.js';
export type { EntryPoint } from './entry-point.js';
export { assetMapSchema, manifestSchema, parseManifest, manifestAssetPaths } from './manifest.js';
export type { Manifest, ParseManifestOptions, ParsedManifest } from './manifest.js';
export {
  pythonSdkGenerationSchema,
  pythonEntryPointSchema,
  pythonManifestSchema,
  pythonManifestV006Schema,
  parsePythonManifest,
  parsePythonEntryPoint,
} from './python-manifest.js';
export type { ParsePythonManifestOptions, PythonManifest, PythonSdkGeneration } from './python-manifest.js';

export {
  paramSpecSchema,
  intParamSpecSchema,
  floatParamSpecSchema,
  boolParamSpecSchema,
  stringParamSpecSchema,
  enumParamSpecSchema,
  rectParamSpecSchema,
} from './param-spec.js';
export type { ParamSpec, ParamType } from './param-spec.js';
export { stepSpecSchema, stepListSchema } from './step-spec.js';
export type { StepSpec } from './step-spec.js';
export { algorithmInfoSchema, parseAlgorithmInfo } from './algorithm-info.js';
export type { AlgorithmInfo } from './algorithm-info.js';
export { validateUserParams } from './user-params.js';
export type { UserParamsValidation } from './user-params.js';

export { rectSchema, rectOutsideImage } from './rect.js';
export type { Rect } from './rect.js';
export { colorSpaceSchema, imageMetaSchema } from './image-meta.js';
export type { ColorSpace, ImageMeta } from './image-meta.js';
export { callStatusSchema, resultStatusSchema, debugSchema, preExecuteResultSchema, executeDataSchema, executeResultSchema } from './results.js';
export type { CallStatus, ResultStatus, PreExecuteResult, ExecuteData, ExecuteResult } from './results.js';
export { checkPreExecuteResult, checkExecuteResult } from './check-result.js';
export { DEFAULT_MAX_DEFECTS, MAX_NG_REASON_LENGTH, MAX_RESULT_MESSAGE_LENGTH } from './result-limits.js';
export type { ResultCheck } from './check-result.js';

export { callPhaseSchema, sessionWireSchema, stepCallDataSchema, infoCallDataSchema, resetCallDataSchema, callDataSchema } from './call-data.js';
export type { CallPhase, SessionWire, CallData, StepCallData } from './call-data.js';
export {
  PROTOCOL_VERSION,
  adapterHelloSchema,
  runnerHelloSchema,
  pingMessageSchema,
  pongMessageSchema,
  callMessageSchema,
  resultMessageSchema,
  errorKindSchema,
  errorMessageSchema,
  shutdownMessageSchema,
  shutdownAckSchema,
  adapterMessageSchema,
  runnerMessageSchema,
} from './protocol-messages.js';
export type {
  AdapterHello,
  RunnerHello,
  PingMessage,
  PongMessage,
  CallMessage,
  ResultMessage,
  ErrorKind,
  ErrorMessage,
  ShutdownMessage,
  ShutdownAck,
  AdapterMessage,
  RunnerMessage,
} from './protocol-messages.js';
export { parseAdapterMessage, parseRunnerMessage, normaliseFlatCall } from './parse-message.js';
export type { MessageParse, MessageParseFailure } from './parse-message.js';

export { runnerConfigSchema, defaultRunnerConfig, parseRunnerConfig } from './runner-config.js';
export type { RunnerConfig, RunnerConfigInput } from './runner-config.js';
export { deliverySchema, deliveryTargetSchema, deliveryFileSchema, deliveryDependencySchema, signatureFileSchema } from './delivery.js';
export type { Delivery, DeliveryTarget, DeliveryFile, DeliveryDependency, SignatureFile } from './delivery.js';
export { expectedVerdictSchema, goldenLabelSchema, goldenLabelsSchema } from './golden-set.js';
export type { GoldenLabel, GoldenLabels } from './golden-set.js';
