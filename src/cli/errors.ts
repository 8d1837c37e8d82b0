import { AppError, type ErrorKind, type FieldIssue } from '../core/errors.js';

/** Exit codes: scripts can tell "fix your input" from "already exists" from "not there". */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  validation: 2,
  conflict: 3,
  notFound: 4,
} as const;

const EXIT_BY_KIND: Record<ErrorKind, number> = {
  validation: EXIT.validation,
  conflict: EXIT.conflict,
  not_found: EXIT.notFound,
  unauthorized: EXIT.failure,
};

// The same statuses and titles as the HTTP API's problem responses (src/http/problem.ts).
const STATUS_BY_KIND: Record<ErrorKind, number> = {
  validation: 422,
  conflict: 409,
  not_found: 404,
  unauthorized: 401,
};
const TITLES: Record<number, string> = {
  400: 'Malformed request',
  401: 'Unauthorized',
  404: 'Not found',
  409: 'Conflict',
  422: 'Invalid input',
  500: 'Internal error',
};

/** RFC 9457 problem details, field for field what the REST API sends. */
export function problemJson(
  status: number,
  code: string,
  detail: string,
  errors: FieldIssue[] = [],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
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

export const appErrorProblem = (error: AppError) =>
  problemJson(STATUS_BY_KIND[error.kind], error.code, error.message, error.issues, error.details);

export const exitCodeOf = (error: AppError): number => EXIT_BY_KIND[error.kind];

/** Thrown by a command that printed its own outcome but must still end with this exit code. */
export class ExitCode extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
    this.name = 'ExitCode';
  }
}

/** A readable message even for errors that carry none (e.g. pg's AggregateError on ECONNREFUSED). */
export function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.message) return error.message;
  if (error instanceof AggregateError && error.errors.length > 0) {
    return [...new Set(error.errors.map(messageOf))].join('; ');
  }
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `${error.name} ${code}` : error.name;
}
