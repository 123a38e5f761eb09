import { z } from 'zod';
import { type ErrorCode, errorCodes } from './error-codes.js';

/** An error code of the table, as a wire string (`"1006"`). */
export const errorCodeSchema = z.enum(Object.keys(errorCodes) as [ErrorCode, ...ErrorCode[]], {
  error: (issue) => `expected a code of the error table as a string such as "1006", got ${JSON.stringify(issue.input)}`,
});
