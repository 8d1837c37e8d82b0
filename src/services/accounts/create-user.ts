import { randomUUID } from 'node:crypto';
import { conflict, IssueCollector } from '../../core/errors.js';
import { checkOperatorEmail } from '../../core/operator-email.js';
import { checkPassword } from '../../core/password.js';
import { hashPassword } from '../../core/password-hash.js';
import { appendEvent } from '../../store/events.js';
import { isUniqueViolation } from '../../store/errors.js';
import { emailTaken, insertUser } from '../../store/users.js';
import { nowIso, type ServiceContext } from '../context.js';

const userExists = (email: string) =>
  conflict(
    'user_exists',
    `A user with the email ${email} already exists; each email signs in to one account.`,
  );

/**
 * An operator of `accountId` who signs in to the web console. The password follows the same
 * rules and hashing as mailbox passwords; both fields are checked before anything is hashed.
 */
export async function createUser(
  ctx: ServiceContext,
  input: { accountId: string; email: string; password: string; actor?: string },
): Promise<{ id: string; email: string }> {
  const issues = new IssueCollector();
  const email = issues.check('email', checkOperatorEmail(input.email));
  issues.check(
    'password',
    checkPassword(input.password, email === undefined ? {} : { localPart: email.split('@')[0] }),
  );
  issues.throwIfAny();
  if (email === undefined) throw new Error('unreachable: IssueCollector reported no issue');
  // Cheap pre-check so a taken email does not cost a password hash.
  if (await emailTaken(ctx.store.db, email)) throw userExists(email);

  const row = {
    id: randomUUID(),
    account_id: input.accountId,
    email,
    password_hash: await hashPassword(input.password),
    created_at: nowIso(ctx),
  };
  try {
    await ctx.store.db.transaction().execute(async (trx) => {
      await insertUser(trx, row);
      await appendEvent(trx, {
        accountId: input.accountId,
        actor: input.actor ?? 'operator',
        action: 'user.created',
        target: email,
        now: row.created_at,
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw userExists(email);
    throw error;
  }
  return { id: row.id, email };
}
