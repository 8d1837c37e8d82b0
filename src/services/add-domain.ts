import { conflict, orThrow } from '../core/errors.js';
import { checkRootDomain } from '../core/hostname.js';
import { newVerificationToken } from '../core/verification.js';
import { randomUUID } from 'node:crypto';
import { domainNameTaken, findDomain, insertDomain } from '../store/domains.js';
import { isUniqueViolation } from '../store/errors.js';
import { appendEvent } from '../store/events.js';
import { nowIso, type Actor, type ServiceContext } from './context.js';
import { toDomain, type Domain } from './domain-view.js';

export const domainExists = (name: string) =>
  conflict('domain_exists', `${name} is already registered on this platform.`);

export async function addDomain(
  ctx: ServiceContext,
  actor: Actor,
  input: { name: string },
): Promise<Domain> {
  const { name, unicodeName } = orThrow('name', checkRootDomain(input.name));
  const now = nowIso(ctx);
  const id = randomUUID();
  try {
    await ctx.store.db.transaction().execute(async (trx) => {
      if (await domainNameTaken(trx, name)) throw domainExists(name);
      await insertDomain(trx, {
        id,
        account_id: actor.accountId,
        name,
        unicode_name: unicodeName,
        kind: 'root',
        parent_id: null,
        status: 'pending',
        verification_token: newVerificationToken(),
        created_at: now,
        verified_at: null,
      });
      await appendEvent(trx, { accountId: actor.accountId, actor: actor.name, action: 'domain.created', target: name, now });
    });
  } catch (error) {
    // Two requests for the same name can both pass the check; the unique index decides.
    if (isUniqueViolation(error)) throw domainExists(name);
    throw error;
  }
  const row = await findDomain(ctx.store.db, actor.accountId, name);
  return toDomain(row!);
}
