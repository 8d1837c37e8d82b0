import { randomUUID } from 'node:crypto';
import { conflict, orThrow } from '../../core/errors.js';
import { checkAliasAddress } from '../../core/mail-routing.js';
import { aliasExists, findAlias, insertAlias } from '../../store/aliases.js';
import { appendEvent } from '../../store/events.js';
import { isUniqueViolation } from '../../store/errors.js';
import { lockAccount } from '../../store/limits.js';
import { addressTaken } from '../../store/mailboxes.js';
import type { Database } from '../../store/schema.js';
import type { Kysely } from 'kysely';
import { nowIso, type Actor, type ServiceContext } from '../context.js';
import { requireDomain } from '../domains/get-domain.js';
import { toAlias, type Alias } from './support/alias-view.js';
import { checkRouteTargets } from './support/route-targets.js';

export interface CreateAliasInput {
  /** `sales@example.com`, or `@sales.example.com` for the hostname's catch-all. */
  address: string;
  targets: string[];
}

const aliasTaken = (address: string) =>
  conflict('alias_exists', `${address} is an alias already: change its targets instead (PATCH).`);
const mailboxTaken = (address: string) =>
  conflict(
    'address_is_mailbox',
    `${address} is a mailbox: an alias cannot take its address. Forward the mailbox instead (PATCH /v1/mailboxes/${address} with forwarding).`,
  );

/** Refuses an address that is a mailbox or an alias already (either account's view is one). */
async function assertFree(db: Kysely<Database>, address: string): Promise<void> {
  if (await addressTaken(db, address)) throw mailboxTaken(address);
  if (await aliasExists(db, address)) throw aliasTaken(address);
}

/**
 * An alias or catch-all on a verified hostname of the account. Everything is checked before
 * the write; under the account lock the address is checked again, so a mailbox created at the
 * same moment (which takes the same lock) cannot end up sharing it.
 */
export async function createAlias(
  ctx: ServiceContext,
  actor: Actor,
  input: CreateAliasInput,
): Promise<Alias> {
  const { address, domain: host } = orThrow('address', checkAliasAddress(input.address));
  const domain = await requireDomain(ctx, actor, host, 'address');
  if (domain.status !== 'verified') {
    throw conflict(
      'domain_not_verified',
      `${domain.name} is not verified yet: publish its TXT record and verify the domain, then add aliases.`,
    );
  }
  await assertFree(ctx.store.db, address);
  const targets = await checkRouteTargets(ctx.store.db, actor, input.targets, {
    field: 'targets',
    start: address,
    selfHint: 'An alias cannot deliver to itself; list where its mail should go.',
  });
  const now = nowIso(ctx);
  const row = {
    id: randomUUID(),
    account_id: actor.accountId,
    domain_id: domain.id,
    address,
    created_at: now,
    updated_at: now,
  };
  try {
    await ctx.store.db.transaction().execute(async (trx) => {
      await lockAccount(trx, actor.accountId);
      await assertFree(trx, address);
      await insertAlias(trx, row, targets);
      await appendEvent(trx, {
        accountId: actor.accountId,
        actor: actor.name,
        action: 'alias.created',
        target: address,
        details: { targets },
        now,
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw aliasTaken(address);
    throw error;
  }
  return toAlias((await findAlias(ctx.store.db, actor.accountId, address))!);
}
