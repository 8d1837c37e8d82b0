/**
 * What a password chosen by a person must meet: checked by `checkPassword` (password.ts) and
 * shown by the console's strength meter. No imports, so the console can bundle it.
 */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;
/** zxcvbn score 3: "safely unguessable", about 10^10 guesses. */
export const MIN_PASSWORD_SCORE = 3;
