/**
 * Seconds Dovecot's auth cache keeps a login's passdb and userdb answer. Mailwright flushes a
 * mailbox's entry as part of every change to its password, state or quota (src/services/support/
 * login-change.ts), so this bounds only changes made where that flush cannot reach: SQL by hand,
 * an API host without the mail plane, a flush that failed after the change was saved. In core
 * because both sides say it: the mail plane renders it, the services tell a client about it.
 */
export const AUTH_CACHE_TTL_SECONDS = 60;
