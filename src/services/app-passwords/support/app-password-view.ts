import type { AppPasswordListing } from '../../../store/app-passwords.js';

/** An app password as the API shows it: never the password or its hash. */
export interface AppPassword {
  id: string;
  label: string;
  createdAt: string;
  /** The last login with it the mail plane reported; null if none. */
  lastUsedAt: string | null;
}

export const toAppPassword = (row: AppPasswordListing): AppPassword => ({
  id: row.id,
  label: row.label,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
});
