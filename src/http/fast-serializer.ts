import type { FastifySerializerCompiler } from 'fastify';
import fastJson from 'fast-json-stringify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

/**
 * The serializer of a route for the answers of the given status codes, e.g. a single creation's
 * 201: fast-json-stringify compiled from the route's Zod schema, as the JSON Schema openapi.json
 * shows. Like the Zod serializer every other answer uses, it writes the schema's fields and
 * nothing else; unlike it, it does not first parse the answer into a copy, which was as much of
 * the creation's main-thread time as its SQL. It checks no types, so it is only for answers the
 * services' typed views build field by field.
 */
export const fastSerializerFor =
  (statuses: readonly number[]): FastifySerializerCompiler<unknown> =>
  (route) =>
    statuses.includes(Number(route.httpStatus)) ? fastJsonOf(route.schema) : zodSerializer(route);

const zodSerializer: FastifySerializerCompiler<unknown> = (route) =>
  serializerCompiler({ ...route, schema: route.schema as z.ZodType });

/** fast-json-stringify compiled from a Zod schema, e.g. for a handler that sends text itself. */
export const fastJsonOf = (schema: unknown): ((value: unknown) => string) =>
  fastJson(
    z.toJSONSchema(schema as z.ZodType, {
      io: 'output',
      target: 'draft-07',
      reused: 'inline',
    }) as Parameters<typeof fastJson>[0],
  );
