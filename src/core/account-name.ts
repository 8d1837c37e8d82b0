/** An account's name, as created (lowercased first) and as `--account` names it. */
export const ACCOUNT_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
