/**
 * Failed sign-ins allowed per window: per email, so one account's password cannot be guessed
 * from many addresses, and per client address, so one client cannot spray many emails.
 */
export const LOGIN_LIMITS = { windowSeconds: 15 * 60, perEmail: 5, perIp: 20 } as const;

/**
 * The longest email and password a sign-in reads. Above any address (RFC 5321) and any
 * password a user can have (password-policy.ts), so only junk is refused, before argon2id pays
 * for its length.
 */
export const MAX_SIGN_IN_EMAIL_LENGTH = 320;
export const MAX_SIGN_IN_PASSWORD_LENGTH = 1024;
