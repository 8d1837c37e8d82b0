import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type FieldIssue } from '../core/errors.js';
import { appErrorProblem, problem, type Problem } from '../core/problem-details.js';

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  if (typeof body.retryAfterSeconds === 'number') {
    reply.header('retry-after', String(body.retryAfterSeconds));
  }
  return reply.code(body.status).type('application/problem+json').send(body);
}

/** Schema violations (wrong type, missing field) in the same shape as the services' rules. */
function schemaIssues(error: FastifyError): FieldIssue[] {
  const where = (error as { validationContext?: string }).validationContext;
  return (error.validation ?? []).flatMap((v): FieldIssue[] => {
    const path = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
    const params = v.params as { keys?: string[]; params?: { code?: string } };
    if (v.keyword === 'unrecognized_keys') {
      // One issue per unknown field, so a form or script sees each by name.
      return (params.keys ?? []).map((key) => ({
        field: path ? `${path}.${key}` : key,
        code: 'unknown_field',
        message: v.message ?? `Unknown field ${key}.`,
      }));
    }
    const field = path || (where === 'body' ? 'body' : (where ?? 'request'));
    // Fastify hands an empty body over as null.
    const missing = new RegExp(
      `received ${field === 'body' ? '(undefined|null)' : 'undefined'}`,
    ).test(v.message ?? '');
    if (missing) return [{ field, code: 'required', message: `${field} is required.` }];
    // A refinement names its own code (e.g. empty_update) and says the whole of it.
    const custom = params.params?.code;
    if (custom) return [{ field, code: custom, message: v.message ?? custom }];
    return [
      {
        field,
        code: v.keyword ?? 'invalid',
        message: `${field}: ${v.message ?? 'invalid value'}.`,
      },
    ];
  });
}

/**
 * PostgreSQL refuses U+0000 and byte sequences that are not UTF-8 in text (SQLSTATE 22021
 * character_not_in_repertoire, 22P05 untranslatable_character) where SQLite stores them: the
 * client's input, never our bug.
 */
const isUnstorableText = (error: unknown): boolean =>
  ['22021', '22P05'].includes(String((error as { code?: unknown }).code));

export function errorToProblem(error: unknown, request: FastifyRequest): Problem {
  if (error instanceof AppError) {
    const body = appErrorProblem(error);
    // A server the change depends on (Dovecot) failed: the operator must hear of it too.
    if (body.status >= 500) request.log.warn({ err: error }, 'a server this change needs failed');
    return body;
  }
  const fastifyError = error as FastifyError;
  if (hasZodFastifySchemaValidationErrors(fastifyError)) {
    const issues = schemaIssues(fastifyError);
    return problem(422, 'invalid_input', issues.map((i) => i.message).join(' '), issues);
  }
  if (isUnstorableText(error)) {
    // The edge refuses control characters first; reaching this means a path around it.
    request.log.warn({ err: error }, 'text the database cannot store reached a query');
    return problem(
      422,
      'invalid_characters',
      'The input contains a character that cannot be stored (U+0000 or bytes that are not UTF-8); remove it.',
    );
  }
  const status = fastifyError.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    // Fastify's own client errors (malformed JSON, wrong content type, body too large).
    const code =
      fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? 'unsupported_media_type'
        : 'malformed_request';
    return problem(status, code, fastifyError.message);
  }
  request.log.error({ err: error }, 'unhandled error');
  return problem(
    500,
    'internal_error',
    `Something went wrong on our side (request ${request.id}); it has been logged.`,
  );
}
