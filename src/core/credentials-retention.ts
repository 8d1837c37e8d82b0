/**
 * How long the server keeps a job's generated passwords (sealed): they exist only so the user
 * can collect them once, so every path ends in their erasure.
 */

/** Passwords nobody downloaded are erased this long after their job finished. */
export const CREDENTIALS_TTL_MS = 24 * 3_600_000;

/**
 * After the first download, the session or API token that made it may download the same file
 * again for this long — a transfer that broke off, a browser that failed to save — and nobody
 * else may; then the passwords are erased.
 */
export const CREDENTIALS_RETRY_MS = 10 * 60_000;

/** "10 minutes", for messages and the API description. */
export const CREDENTIALS_RETRY_TEXT = `${CREDENTIALS_RETRY_MS / 60_000} minutes`;

/** "24 hours", for messages and the API description. */
export const CREDENTIALS_TTL_TEXT = `${CREDENTIALS_TTL_MS / 3_600_000} hours`;
