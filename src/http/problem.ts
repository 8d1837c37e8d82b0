import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type ErrorKind, type FieldIssue } from '../core/errors.js';

/** The one place where error kinds become HTTP statuses. */
const STATUS: Record<ErrorKind, number> = {
  validation: 422,
  conflict: 409,
  not_found: 404,
  unauthorized: 401,
};

const TITLES: Record<number, string> = {
  400: 'Malformed request',
  401: 'Unauthorized',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Request body too large',
  415: 'Unsupported media type',
  422: 'Invalid input',
  429: 'Too many requests',
  500: 'Internal error',
};

/** RFC 9457 problem details. `code` repeats the last segment of `type` for easy branching. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  errors?: FieldIssue[];
  [extra: string]: unknown;
}

export function problem(status: number, code: string, detail: string, errors?: FieldIssue[], extra = {}): Problem {
  return {
    type: `urn:mailwright:problem:${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    code,
    detail,
    ...(errors && errors.length > 0 ? { errors } : {}),
    ...extra,
  };
}

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.code(body.status).type('application/problem+json').send(body);
}

/** Schema violations (wrong type, missing field) in the same shape as the services' rules. */
function schemaIssues(error: FastifyError): FieldIssue[] {
  const where = (error as { validationContext?: string }).validationContext;
  return (error.validation ?? []).map((v) => {
    const path = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
    const field = path || (where === 'body' ? 'body' : (where ?? 'request'));
    const missing = /received undefined/.test(v.message ?? '');
    return {
      field,
      code: missing ? 'required' : (v.keyword ?? 'invalid'),
      message: missing ? `${field} is required.` : `${field}: ${v.message ?? 'invalid value'}.`,
    };
  });
}

export function errorToProblem(error: unknown, request: FastifyRequest): Problem {
  if (error instanceof AppError) {
    return problem(STATUS[error.kind], error.code, error.message, error.issues, error.details);
  }
  const fastifyError = error as FastifyError;
  if (hasZodFastifySchemaValidationErrors(fastifyError)) {
    const issues = schemaIssues(fastifyError);
    return problem(422, 'invalid_input', issues.map((i) => i.message).join(' '), issues);
  }
  const status = fastifyError.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    // Fastify's own client errors (malformed JSON, wrong content type, body too large).
    const code = fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'unsupported_media_type' : 'malformed_request';
    return problem(status, code, fastifyError.message);
  }
  request.log.error({ err: error }, 'unhandled error');
  return problem(500, 'internal_error', `Something went wrong on our side (request ${request.id}); it has been logged.`);
}
