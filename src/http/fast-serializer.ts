import type { FastifySerializerCompiler } from 'fastify';
import fastJson from 'fast-json-stringify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

/**
 * The serializer of a route whose success answers are long lists (a page of 100 mailboxes):
 * fast-json-stringify compiled from the route's Zod schema, as the JSON Schema openapi.json
 * shows. Like the Zod serializer every other route uses, it writes the schema's fields and
 * nothing else, so a field the schema does not name never leaves; unlike it, it does not first
 * parse every item into a copy, which was most of the cost of a page beyond its first row.
 * It checks no types, so it is only for answers the services' typed views build field by field;
 * errors keep the Zod serializer.
 */
// Fastify types `schema` as the whole route schema; it passes one status code's response schema.
export const listSerializer: FastifySerializerCompiler<unknown> = (route) =>
  String(route.httpStatus).startsWith('2') ? fastJsonOf(route.schema) : zodSerializer(route);

/**
 * The same for the answers of the given status codes only, e.g. a single creation's 201 (built
 * field by field like a page's items): the Zod serializer's parse into a copy was as much of
 * the creation's main-thread time as its SQL. Other answers keep the Zod serializer.
 */
export const fastSerializerFor =
  (statuses: readonly number[]): FastifySerializerCompiler<unknown> =>
  (route) =>
    statuses.includes(Number(route.httpStatus)) ? fastJsonOf(route.schema) : zodSerializer(route);

const zodSerializer: FastifySerializerCompiler<unknown> = (route) =>
  serializerCompiler({ ...route, schema: route.schema as z.ZodType });

const fastJsonOf = (schema: unknown) =>
  fastJson(
    z.toJSONSchema(schema as z.ZodType, {
      io: 'output',
      target: 'draft-07',
      reused: 'inline',
    }) as Parameters<typeof fastJson>[0],
  );
