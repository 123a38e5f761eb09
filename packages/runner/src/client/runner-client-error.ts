/** An error as the client reports it: the service's `{code, name, message, details}` (any code string). */
export interface ClientErrorInfo {
  code: string;
  name: string;
  message: string;
  details?: Record<string, unknown>;
}

/**
 * A failed call of {@link RunnerClient}: the service's error body (`code`, `name`, `message`)
 * with the HTTP status, or `status: 0` and code `unreachable` / `timeout` when no answer came.
 */
export class RunnerClientError extends Error {
  /** HTTP status (0 when the service did not answer). */
  readonly status: number;
  /** The error code of the body (`"2006"`, `"not_found"`, `"unauthorized"`...), or `unreachable` / `timeout` / `bad_response`. */
  readonly code: string;
  /** The symbolic name of the code. */
  readonly codeName: string;
  /** `details` of the error body. */
  readonly details: Record<string, unknown> | undefined;
  /** The `X-Request-Id` of the answer, to find the service's access log line. */
  readonly requestId: string | undefined;
  /** `METHOD URL` of the call. */
  readonly call: string;

  constructor(call: string, status: number, body: ClientErrorInfo, options: { requestId?: string; cause?: unknown } = {}) {
    super(`${call}: ${status === 0 ? '' : `${status} `}${body.message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RunnerClientError';
    this.call = call;
    this.status = status;
    this.code = body.code;
    this.codeName = body.name;
    this.details = body.details;
    this.requestId = options.requestId;
  }
}
