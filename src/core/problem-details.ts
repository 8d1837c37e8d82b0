import { AppError, type ErrorKind, type FieldIssue } from './errors.js';

/**
 * RFC 9457 problem details: the one representation of an error, sent by the HTTP API and
 * printed by the CLI's --json. The kind→status table lives here and nowhere else.
 */
export const STATUS_OF_KIND: Readonly<Record<ErrorKind, number>> = {
  validation: 422,
  conflict: 409,
  not_found: 404,
  unauthorized: 401,
  forbidden: 403,
  rate_limited: 429,
  gone: 410,
  unavailable: 503,
};

const TITLES: Readonly<Record<number, string>> = {
  400: 'Malformed request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  408: 'Request timeout',
  409: 'Conflict',
  410: 'Gone',
  413: 'Request body too large',
  414: 'URI too long',
  415: 'Unsupported media type',
  422: 'Invalid input',
  429: 'Too many requests',
  431: 'Request headers too large',
  500: 'Internal error',
  503: 'Service unavailable',
};

/** `code` repeats the last segment of `type` so clients can branch without parsing a URI. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  errors?: FieldIssue[];
  [extra: string]: unknown;
}

export function problem(
  status: number,
  code: string,
  detail: string,
  errors: FieldIssue[] = [],
  extra: Record<string, unknown> = {},
): Problem {
  return {
    type: `urn:mailwright:problem:${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    code,
    detail,
    ...(errors.length > 0 ? { errors } : {}),
    ...extra,
  };
}

export const appErrorProblem = (error: AppError): Problem =>
  problem(STATUS_OF_KIND[error.kind], error.code, error.message, error.issues, error.details);
