import { randomUUID } from 'node:crypto';
import { conflict, IssueCollector, notFound } from '../../core/errors.js';
import { checkLocalPart } from '../../core/local-part.js';
import { checkPersonName } from '../../core/person-name.js';
import { checkQuotaMb, DEFAULT_QUOTA_MB } from '../../core/quota.js';
import {
  mergeSendingPolicy,
  policyFromDefaults,
  utcDay,
  type SendingInput,
} from '../../core/sending.js';
import { isUniqueViolation } from '../../store/errors.js';
import { inAccountLock } from '../../store/limits.js';
import { nowIso, type Actor, type ServiceContext } from '../context.js';
import { accessibleDomainName } from '../domains/get-domain.js';
import { assertCapacity, domainCapacityAt, insertCounted } from './support/mailbox-capacity.js';
import { mailboxView, type Mailbox } from './support/mailbox-view.js';
import { sendingView, toPolicyColumns } from './support/sending-view.js';
import { checkPasswordChoice, hashChosen, type PasswordChoice } from './support/password-choice.js';

export interface CreateMailboxInput {
  name: string;
  localPart: string;
  domain: string;
  password: PasswordChoice;
  quotaMb?: number;
  /** Laid over the account's defaults (`account limits --default-daily-send-limit …`). */
  sending?: SendingInput;
}

const NOTHING_SENT = { today: 0, thisHour: 0 };

const mailboxExists = (address: string) =>
  conflict('mailbox_exists', `${address} already exists; choose another local part.`);
const aliasAtAddress = (address: string) =>
  conflict(
    'address_is_alias',
    `${address} is an alias: delete the alias first (DELETE /v1/aliases/${address}), or choose another local part.`,
  );

/**
 * Single mode of the Add Mailbox form. Every field is checked before anything is hashed or
 * written, and all field problems are reported together so a form can show them in one round.
 */
export async function createMailbox(
  ctx: ServiceContext,
  actor: Actor,
  input: CreateMailboxInput,
): Promise<{ mailbox: Mailbox; password?: string }> {
  const hostname = accessibleDomainName(actor, input.domain, 'domain');
  const issues = new IssueCollector();
  const name = issues.check('name', checkPersonName(input.name));
  const localPart = issues.check('localPart', checkLocalPart(input.localPart, hostname));
  const quotaMb = issues.check('quotaMb', checkQuotaMb(input.quotaMb ?? DEFAULT_QUOTA_MB));
  const password = issues.attempt(() => checkPasswordChoice(input.password, { localPart, name }));
  const checkedAt = ctx.clock();
  const today = utcDay(checkedAt);
  const address = localPart === undefined ? undefined : `${localPart}@${hostname}`;
  // The hostname, the account's limits (the sending defaults) and everything that can refuse
  // the address, in one round trip: a cheap pre-check, so a taken address or a full domain does
  // not cost a password hash; the authoritative check reads them again under the lock.
  const found = await domainCapacityAt(ctx.store.db, actor.accountId, hostname, checkedAt, address);
  if (!found) throw notFound('domain', hostname);
  const { domain } = found;
  const sending = mergeSendingPolicy(
    policyFromDefaults(found.limits, today),
    input.sending ?? {},
    today,
    issues,
  );
  issues.throwIfAny();
  if (
    name === undefined ||
    localPart === undefined ||
    address === undefined ||
    quotaMb === undefined ||
    !password
  ) {
    throw new Error('unreachable: IssueCollector reported no issue for a missing value');
  }

  if (domain.status !== 'verified') {
    throw conflict(
      'domain_not_verified',
      `${domain.name} is not verified yet: publish its TXT record and verify the domain, then create mailboxes.`,
    );
  }
  const request = { count: 1, quotaMb, countField: 'domain' };
  // Its holder (a mailbox, or an alias: aliases are written under the same account lock, so
  // neither takes the other's address), then the hostname's and the hour's limits.
  const refuse = ({ usage, holder }: Pick<typeof found, 'usage' | 'holder'>) => {
    if (holder === 'mailbox') throw mailboxExists(address);
    if (holder === 'alias') throw aliasAtAddress(address);
    assertCapacity(usage, domain.name, request);
  };
  refuse(found);

  const chosen = await hashChosen(ctx, password);
  const now = nowIso(ctx);
  const row = {
    id: randomUUID(),
    account_id: actor.accountId,
    domain_id: domain.id,
    local_part: localPart,
    address,
    name,
    password_hash: chosen.hash,
    quota_mb: quotaMb,
    active: 1,
    forward_keep_copy: null,
    // Empty: the storage in use is below the watch mark (core/quota-watch.ts).
    quota_nearly_full: 0,
    created_at: now,
    updated_at: now,
    ...toPolicyColumns(sending),
  };
  try {
    // The authoritative check, serialised with every other write of the account: the counts
    // as they stood before this insert; a refusal throws and rolls the insert back.
    await inAccountLock(ctx.store.db, actor.accountId, async (trx) => {
      refuse(
        await insertCounted(trx, domain, ctx.clock(), {
          row,
          event: {
            accountId: actor.accountId,
            actor: actor.name,
            action: 'mailbox.created',
            target: address,
            details: { quotaMb, passwordGenerated: password.generated, sending },
            now,
          },
        }),
      );
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw mailboxExists(address);
    throw error;
  }
  return {
    // Just created: it has sent nothing and forwards nowhere, so its view needs no query.
    mailbox: mailboxView(row, sendingView(row, NOTHING_SENT, ctx.clock()), undefined),
    ...(chosen.generated ? { password: chosen.generated } : {}),
  };
}
