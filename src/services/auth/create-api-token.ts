import { AppError, IssueCollector, notFound, orThrow } from '../../core/errors.js';
import { generateApiToken, hashToken } from '../../core/secret-token.js';
import { checkTokenLabel } from '../../core/token-label.js';
import { checkTokenDomains } from '../../core/token-domains.js';
import {
  checkTokenScopes,
  coversAccess,
  FULL_ACCESS_SCOPES,
  type Scope,
} from '../../core/token-scopes.js';
import { findAccountByName, insertApiToken } from '../../store/accounts.js';
import { appendEvent } from '../../store/events.js';
import { nowIso, type Actor, type ServiceContext } from '../context.js';

export interface CreatedApiToken {
  id: string;
  label: string;
  /** Shown this once. */
  token: string;
  scopes: Scope[];
  /** A-label roots the token is limited to; null for every domain. */
  domains: string[] | null;
  createdAt: string;
}

export interface TokenAccessInput {
  /** Default (operator path only): `admin`. */
  scopes?: readonly string[];
  /** Root domains; absent for every domain of the account. */
  domains?: readonly string[];
}

/** Operator path (CLI, first start): a token for an account named by the operator. */
export async function createApiToken(
  ctx: ServiceContext,
  input: { account: string; label?: string; actor: string } & TokenAccessInput,
): Promise<CreatedApiToken> {
  const account = await findAccountByName(ctx.store.db, input.account.trim().toLowerCase());
  if (!account) throw notFound('account', input.account);
  const label = input.label === undefined ? '' : orThrow('label', checkTokenLabel(input.label));
  return issueApiToken(ctx, { accountId: account.id, name: input.actor }, label, {
    scopes: input.scopes ?? FULL_ACCESS_SCOPES,
    ...(input.domains === undefined ? {} : { domains: input.domains }),
  });
}

/** Console and API path: a token for the actor's own account, labelled so it can be revoked. */
export function createAccountApiToken(
  ctx: ServiceContext,
  actor: Actor,
  input: { label: string; scopes: readonly string[]; domains?: readonly string[] },
): Promise<CreatedApiToken> {
  const issues = new IssueCollector();
  const label = issues.check('label', checkTokenLabel(input.label));
  issues.throwIfAny();
  return issueApiToken(ctx, actor, label!, input);
}

/** Returns the token once; only its SHA-256 is kept, so a lost token is replaced, not recovered. */
async function issueApiToken(
  ctx: ServiceContext,
  actor: Actor,
  label: string,
  input: { scopes: readonly string[]; domains?: readonly string[] },
): Promise<CreatedApiToken> {
  const issues = new IssueCollector();
  const scopes = issues.check('scopes', checkTokenScopes(input.scopes));
  const domains =
    input.domains === undefined ? null : issues.check('domains', checkTokenDomains(input.domains));
  issues.throwIfAny();
  const access = { scopes: scopes!, domains: domains ?? null };
  // A narrowed token hands out nothing it lacks, so it cannot widen itself.
  if (actor.access && !coversAccess(actor.access, access)) {
    throw new AppError(
      'forbidden',
      'insufficient_scope',
      'A token can only create tokens with its own scopes and domains, or fewer: ask for this one with a token that has them, or in the console.',
    );
  }
  const token = generateApiToken();
  const createdAt = nowIso(ctx);
  const id = await ctx.store.db.transaction().execute(async (trx) => {
    const tokenId = await insertApiToken(trx, {
      accountId: actor.accountId,
      tokenHash: hashToken(token),
      label,
      now: createdAt,
      ...access,
    });
    await appendEvent(trx, {
      accountId: actor.accountId,
      actor: actor.name,
      action: 'token.created',
      target: tokenId,
      details: { label, ...access },
      now: createdAt,
    });
    return tokenId;
  });
  return { id, label, token, ...access, createdAt };
}
