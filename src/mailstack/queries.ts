import { APP_PASSWORD_ID_LENGTH } from '../core/app-password.js';
import { QUOTA_WATCH_MARGIN_MB, type QuotaCrossing } from '../core/quota-watch.js';
import type { Dialect } from '../store/dialect.js';

/**
 * Every SQL statement Postfix and Dovecot run against Mailwright's database, in one place. They
 * read only the views of migrations 005 (`mail_domains`, `mail_users`, `mail_senders`), 012
 * (`mail_aliases`), 015 (`mail_app_passwords`), 024 (`mail_relays`) and 028 (`mail_quota_watch`),
 * and each lookup is an equality on the column a unique index serves (domains.name,
 * mailboxes.address, aliases.address, mailbox_app_passwords.public_id).
 *
 * The SQL is the same on SQLite and PostgreSQL but for two differences: views in a PostgreSQL
 * schema off the role's search_path are qualified with it, and on PostgreSQL the alias and quota
 * watch lookups call `mail_alias_targets` (migration 025) and `mail_quota_watched` (028), which
 * read `mail_aliases` and `mail_quota_watch` with a plan they keep.
 *
 * Placeholders are the servers' own, and both escape the value for SQL before substituting it:
 * Postfix (sqlite_table(5), pgsql_table(5)) `%s` is the whole lookup key, already lowercased for
 * these tables; Dovecot (2.3 SQL auth) `%Lu` is the login, lowercased, and `%w` the password
 * the client sent (PLAIN and LOGIN, the only mechanisms offered). The Lua passdb escapes the
 * login with its database driver (`conn:escape`) before putting it where `'%Lu'` stands.
 */

/** The views the servers may read; a test holds every query to this list. */
export const MAIL_VIEWS = [
  'mail_domains',
  'mail_users',
  'mail_senders',
  'mail_aliases',
  'mail_app_passwords',
  'mail_relays',
  'mail_quota_watch',
] as const;
export type MailView = (typeof MAIL_VIEWS)[number];

/** PostgreSQL's function over `mail_aliases` (migration 025). */
export const ALIAS_FUNCTION = 'mail_alias_targets';
/** PostgreSQL's function over `mail_quota_watch` (migration 028). */
export const QUOTA_WATCH_FUNCTION = 'mail_quota_watched';

export interface QueryTarget {
  /** The database the servers read; undefined: SQLite. */
  dialect?: Dialect;
  /** PostgreSQL schema to qualify the views with; undefined: the search_path finds them. */
  schema?: string;
}

const view = (
  target: QueryTarget,
  name: MailView | typeof ALIAS_FUNCTION | typeof QUOTA_WATCH_FUNCTION,
): string => (target.schema ? `${target.schema}.${name}` : name);

export interface PostfixQueries {
  /** `virtual_mailbox_domains`: any row means "we receive mail for this domain". */
  virtualMailboxDomains: string;
  /** `virtual_mailbox_maps`: any row means the recipient exists (delivery itself is LMTP). */
  virtualMailboxMaps: string;
  /** `smtpd_sender_login_maps`: the SASL login allowed to use an envelope sender. */
  senderLoginMaps: string;
  /**
   * `virtual_alias_maps`, first table: aliases, catch-alls (Postfix looks up `@domain` after the
   * full address found nothing) and mailbox forwards; a mailbox maps to itself so that no
   * catch-all takes its mail.
   */
  virtualAliasMaps: string;
  /**
   * `virtual_alias_maps`, second table: the role addresses RFC 2142 expects at every hostname
   * (`postmaster@`, `abuse@`) go to the installation's postmaster, unless a mailbox or alias of
   * that name exists (the first table answers for those). Null without a postmaster.
   */
  roleAliasMaps: string | null;
  /**
   * `sender_canonical_maps`, first table: a sender on a hostname we serve maps to itself, so
   * postsrsd (the second table) rewrites only the senders of other domains' forwarded mail.
   */
  ownSenderMaps: string;
  /**
   * `sender_dependent_relayhost_maps`: the relay (`[host]:port`) of the sender's hostname, its
   * own or its root's; no row: the global relay, or the recipient's MX.
   */
  senderRelayMaps: string;
  /**
   * `check_recipient_access` at RCPT on port 25, one lookup per recipient where there were two:
   * `QUOTA_CHECK_CLASS` (ask quota-status) for a mailbox one message could overfill
   * (src/core/quota-watch.ts); `OK` for any other address the first `virtual_alias_maps` table
   * lists (a receiving mailbox maps to itself, an alias or forward to its targets): a listed
   * recipient, which `reject_unlisted_recipient` would only look up again; nothing for the rest
   * (catch-alls, role addresses, unknown ones), which that check then decides.
   */
  recipientAccessMaps: string;
}

/** The restriction class that asks Dovecot's quota-status (main.cf `smtpd_restriction_classes`). */
export const QUOTA_CHECK_CLASS = 'quota_check';

/** Local parts every mail domain must answer (RFC 2142, RFC 5321 §4.5.1). */
export const ROLE_LOCAL_PARTS = ['postmaster', 'abuse'] as const;

/**
 * `postmaster` is a plain address (checked by the settings: no quote or `%` can reach the SQL).
 * `%u`/`%d` are the key's local part and domain; a key without both (`@domain`) matches nothing.
 */
export function postfixQueries(target: QueryTarget = {}, postmaster?: string): PostfixQueries {
  const roles = ROLE_LOCAL_PARTS.map((r) => `'${r}'`).join(', ');
  return {
    virtualMailboxDomains: `SELECT name FROM ${view(target, 'mail_domains')} WHERE name = '%s'`,
    virtualMailboxMaps: `SELECT maildir FROM ${view(target, 'mail_users')} WHERE address = '%s'`,
    senderLoginMaps: `SELECT login FROM ${view(target, 'mail_senders')} WHERE address = '%s'`,
    // Planning the view's UNION ALL each time cost PostgreSQL more than running it.
    virtualAliasMaps:
      target.dialect === 'postgres'
        ? `SELECT target FROM ${view(target, ALIAS_FUNCTION)}('%s') AS target`
        : `SELECT target FROM ${view(target, 'mail_aliases')} WHERE address = '%s'`,
    roleAliasMaps: postmaster
      ? `SELECT '${postmaster}' FROM ${view(target, 'mail_domains')} WHERE name = '%d' AND '%u' IN (${roles}) AND NOT EXISTS (SELECT 1 FROM ${view(target, 'mail_users')} WHERE address = '%s')`
      : null,
    ownSenderMaps: `SELECT '%s' FROM ${view(target, 'mail_domains')} WHERE name = '%d'`,
    // Postfix looks up the sender address first (then `@domain`): both keys carry the domain.
    senderRelayMaps: `SELECT relay_host FROM ${view(target, 'mail_relays')} WHERE name = '%d'`,
    // An access table is also asked for the domain and `user@`: neither key has both parts.
    // One statement, so one round trip: the watch is asked only of a listed address.
    recipientAccessMaps:
      target.dialect === 'postgres'
        ? `SELECT CASE WHEN EXISTS (SELECT 1 FROM ${view(target, QUOTA_WATCH_FUNCTION)}('%u@%d', ${QUOTA_WATCH_MARGIN_MB})) THEN '${QUOTA_CHECK_CLASS}' ELSE 'OK' END FROM ${view(target, ALIAS_FUNCTION)}('%u@%d') AS target LIMIT 1`
        : `SELECT CASE WHEN EXISTS (SELECT 1 FROM ${view(target, 'mail_quota_watch')} WHERE address = '%u@%d' AND (nearly_full = 1 OR quota_mb <= ${QUOTA_WATCH_MARGIN_MB})) THEN '${QUOTA_CHECK_CLASS}' ELSE 'OK' END FROM ${view(target, 'mail_aliases')} WHERE address = '%u@%d' LIMIT 1`,
  };
}

/** The passdb extra field naming the app password a login used (none: the mailbox's own). */
export const APP_PASSWORD_FIELD = 'mw_app_password';

export interface DovecotQueries {
  /**
   * First passdb, run by the Lua passdb (dovecot-lua.ts), which puts the login escaped by its
   * driver in place of `'%Lu'` and verifies the password itself: the stored `{ARGON2ID}…` hash
   * (the scheme prefix tells Dovecot how to verify), and the userdb answer as `userdb_` fields,
   * which the prefetch userdb hands on: a login costs one query, not two, and the auth cache
   * keeps both in one entry.
   */
  passwordQuery: string;
  /**
   * Second passdb, asked when the mailbox's own password did not match: the one app password
   * whose public id (core/app-password.ts) begins the password sent, if it is this login's.
   * Dovecot verifies only the first row of a passdb answer, so the query must select one: the
   * public id is unique. The substring is taken in SQL, of the whole escaped value, so no
   * escape sequence is ever cut in half. The public id comes back as the extra field
   * `APP_PASSWORD_FIELD`, which the auth policy report carries to Mailwright (last use).
   */
  appPasswordQuery: string;
  /** userdb: home (`<mail root>/<maildir>`), the per-user quota rule and quota warnings. */
  userQuery: string;
  /** `doveadm … -A` and quota recalculation walk every user with this. */
  iterateQuery: string;
}

/** Where the mail plane's files are; both absolute plain paths, since they go into SQL text. */
export interface DovecotPaths {
  /** The directory the views' relative maildirs hang from. */
  mailRoot: string;
  /** The policy service's socket for Dovecot's quota warnings (quota-warnings.ts). */
  quotaWarnings: string;
}

/**
 * The quota warnings, as userdb fields: `quota_warning` runs when a save takes the storage in use
 * to the watch mark (src/core/quota-watch.ts) or past it, `quota_warning2` (`-`) when an expunge
 * takes it below; each tells the policy service the mailbox's address. A mailbox with a quota no
 * larger than the margin is watched whatever it holds, so it gets neither (a NULL field is no
 * field at all to Dovecot).
 */
function quotaWarningFields(socket: string, prefix: string): string {
  const mark = `cast((quota_mb - ${QUOTA_WATCH_MARGIN_MB}) * 1024 as text) || 'K ${socket}`;
  const warning = (sign: string, crossing: QuotaCrossing) =>
    `CASE WHEN quota_mb > ${QUOTA_WATCH_MARGIN_MB} THEN '${sign}storage=' || ${mark} ${crossing} ' || address END`;
  return [
    `${warning('', 'over')} AS ${prefix}quota_warning`,
    `${warning('-', 'under')} AS ${prefix}quota_warning2`,
  ].join(', ');
}

export function dovecotQueries(paths: DovecotPaths, target: QueryTarget = {}): DovecotQueries {
  for (const path of [paths.mailRoot, paths.quotaWarnings]) {
    if (!/^\/[A-Za-z0-9._/-]*$/.test(path)) {
      throw new Error(`The mail plane's paths must be plain absolute paths; got "${path}".`);
    }
  }
  const root = paths.mailRoot.replace(/\/+$/, '');
  const users = view(target, 'mail_users');
  return {
    passwordQuery: `SELECT address AS user, password, '${root}/' || maildir AS userdb_home, quota_rule AS userdb_quota_rule, ${quotaWarningFields(paths.quotaWarnings, 'userdb_')} FROM ${users} WHERE address = '%Lu'`,
    appPasswordQuery: `SELECT address AS user, password, public_id AS ${APP_PASSWORD_FIELD} FROM ${view(target, 'mail_app_passwords')} WHERE public_id = substr('%w', 1, ${APP_PASSWORD_ID_LENGTH}) AND address = '%Lu'`,
    userQuery: `SELECT '${root}/' || maildir AS home, quota_rule, ${quotaWarningFields(paths.quotaWarnings, '')} FROM ${users} WHERE address = '%Lu'`,
    iterateQuery: `SELECT address AS user FROM ${users}`,
  };
}
