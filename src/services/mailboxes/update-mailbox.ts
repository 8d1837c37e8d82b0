import { IssueCollector } from '../../core/errors.js';
import { checkPersonName } from '../../core/person-name.js';
import { checkQuotaMb } from '../../core/quota.js';
import { quotaNearlyFull } from '../../core/quota-watch.js';
import { mergeSendingPolicy, utcDay, type SendingInput } from '../../core/sending.js';
import { setForwarding } from '../../store/aliases.js';
import { appendEvent } from '../../store/events.js';
import { lockAccount } from '../../store/limits.js';
import { updateMailbox as updateMailboxRow } from '../../store/mailboxes.js';
import type { MailboxUpdate } from '../../store/schema.js';
import { nowIso, type Actor, type ServiceContext } from '../context.js';
import { changeLogins } from '../support/login-change.js';
import { requireMailbox } from './get-mailbox.js';
import { checkForwarding, type ForwardingInput } from './support/forwarding-check.js';
import { toMailbox, type Mailbox } from './support/mailbox-view.js';
import { toPolicyColumns, toSendingPolicy } from './support/sending-view.js';
import { checkPasswordChoice, hashChosen, type PasswordChoice } from './support/password-choice.js';

export interface UpdateMailboxInput {
  name?: string;
  quotaMb?: number;
  active?: boolean;
  password?: PasswordChoice;
  /** Only what is given changes; `warmup: null` removes the ramp. */
  sending?: SendingInput;
  forwarding?: ForwardingInput;
}

/** Changes only what is given, under the same rules as creation. */
export async function updateMailbox(
  ctx: ServiceContext,
  actor: Actor,
  address: string,
  input: UpdateMailboxInput,
): Promise<{ mailbox: Mailbox; password?: string }> {
  const current = await requireMailbox(ctx, actor, address);
  const issues = new IssueCollector();
  const name =
    input.name === undefined ? undefined : issues.check('name', checkPersonName(input.name));
  const quotaMb =
    input.quotaMb === undefined ? undefined : issues.check('quotaMb', checkQuotaMb(input.quotaMb));
  const password =
    input.password &&
    issues.attempt(() =>
      checkPasswordChoice(input.password!, {
        localPart: current.local_part,
        name: name ?? current.name,
      }),
    );
  const sending =
    input.sending &&
    mergeSendingPolicy(toSendingPolicy(current), input.sending, utcDay(ctx.clock()), issues);
  issues.throwIfAny();
  const forwarding = await checkForwarding(ctx.store.db, actor, current.address, input.forwarding);

  const changes: MailboxUpdate = {};
  if (name !== undefined) changes.name = name;
  if (quotaMb !== undefined) changes.quota_mb = quotaMb;
  if (input.active !== undefined) changes.active = input.active ? 1 : 0;
  const chosen = password ? await hashChosen(ctx, password) : undefined;
  if (chosen) changes.password_hash = chosen.hash;
  const changed = Object.keys(changes);
  if (sending) {
    const columns = toPolicyColumns(sending);
    if (JSON.stringify(columns) !== JSON.stringify(toPolicyColumns(toSendingPolicy(current)))) {
      Object.assign(changes, columns);
      changed.push('sending');
    }
  }
  const before = await toMailbox(ctx, current);
  const forwardingChanged =
    forwarding !== undefined && JSON.stringify(forwarding) !== JSON.stringify(before.forwarding);
  if (forwardingChanged) changed.push('forwarding');
  if (changed.length === 0) return { mailbox: before };

  if (quotaMb !== undefined && quotaMb !== current.quota_mb) {
    // The watch mark moved with the quota, and no quota warning tells when a mark moves past the
    // storage in use: the mail plane's count decides, or, unknown, the mailbox is watched.
    const usedMb = (await ctx.mailboxUsage?.(current.address)) ?? null;
    changes.quota_nearly_full = quotaNearlyFull(usedMb, quotaMb) ? 1 : 0;
  }
  const now = nowIso(ctx);
  // What Dovecot caches of a login: the hash, whether the mailbox exists (active) and its quota.
  const loginChanged = ['password_hash', 'active', 'quota_mb'].some((f) => changed.includes(f));
  await changeLogins(ctx, async (trx) => {
    if (forwardingChanged) {
      // Aliases and forwards are written under the account lock, like the loop check's reads.
      await lockAccount(trx, actor.accountId);
      await setForwarding(trx, current.id, forwarding!);
    }
    await updateMailboxRow(trx, current.id, { ...changes, updated_at: now });
    await appendEvent(trx, {
      accountId: actor.accountId,
      actor: actor.name,
      action: 'mailbox.updated',
      target: current.address,
      // Field names only: the audit log says a password changed, never to what.
      details: {
        fields: changed.map((f) => (f === 'password_hash' ? 'password' : f)),
        ...(changed.includes('sending') ? { sending } : {}),
        ...(forwardingChanged ? { forwarding } : {}),
      },
      now,
    });
    // Forwarding is not cached by Dovecot: Postfix reads mail_aliases on each message.
    return loginChanged ? [current.address] : [];
  });
  const updated = await requireMailbox(ctx, actor, current.address);
  return {
    mailbox: await toMailbox(ctx, updated),
    ...(chosen?.generated ? { password: chosen.generated } : {}),
  };
}
