import type { AppError, ErrorKind } from '../core/errors.js';

/**
 * Exit codes: scripts can tell "fix your input" from "already exists" from "not there" from
 * "try again later".
 */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  validation: 2,
  conflict: 3,
  notFound: 4,
  unavailable: 5,
} as const;

const EXIT_BY_KIND: Record<ErrorKind, number> = {
  validation: EXIT.validation,
  conflict: EXIT.conflict,
  not_found: EXIT.notFound,
  unauthorized: EXIT.failure,
  forbidden: EXIT.failure,
  rate_limited: EXIT.failure,
  gone: EXIT.notFound,
  unavailable: EXIT.unavailable,
};

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
