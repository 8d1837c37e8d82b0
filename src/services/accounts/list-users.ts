import { listUsers as selectUsers } from '../../store/users.js';
import type { Actor, ServiceContext } from '../context.js';

/** The account's operators; never their password hashes. */
export function listUsers(ctx: ServiceContext, actor: Actor) {
  return selectUsers(ctx.store.db, actor.accountId);
}
