import { z } from 'zod';

/** Response shapes shared by several routes; request schemas live beside their route. */
export const DomainSchema = z
  .object({
    id: z.string(),
    name: z.string().describe('A-label (xn--…) form, lowercase'),
    unicodeName: z.string(),
    kind: z.enum(['root', 'subdomain']),
    parent: z.string().nullable(),
    status: z.enum(['pending', 'verified']),
    verification: z.object({ type: z.literal('TXT'), host: z.string(), value: z.string() }),
    createdAt: z.string(),
  })
  .meta({ id: 'Domain' });

export const MailboxSchema = z
  .object({
    id: z.string(),
    address: z.string(),
    localPart: z.string(),
    domain: z.string(),
    name: z.string(),
    quotaMb: z.number().int(),
    active: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: 'Mailbox' });

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string(),
    errors: z.array(z.object({ field: z.string(), code: z.string(), message: z.string() })).optional(),
  })
  .catchall(z.unknown())
  .meta({ id: 'Problem' });

export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const PageQuery = z.object({
  cursor: z.string().optional().describe('nextCursor of the previous page'),
  limit: z.coerce.number().optional().describe('1–500, default 100'),
});

/** Error responses every authenticated route can give. */
export const problems = (...statuses: number[]) =>
  Object.fromEntries([401, ...statuses].map((s) => [s, ProblemSchema])) as Record<number, typeof ProblemSchema>;

export const PasswordChoiceSchema = z
  .discriminatedUnion('generate', [
    z.object({ generate: z.literal(true) }),
    z.object({ generate: z.literal(false), value: z.string().optional() }),
  ])
  .describe('{ "generate": true } for a random password shown once, or { "generate": false, "value": "…" }');
