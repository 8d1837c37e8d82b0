import { domainOf } from '../../../core/mail-routing.js';
import type { AliasRecord } from '../../../store/aliases.js';

/** The API's Alias representation. */
export interface Alias {
  id: string;
  /** `sales@example.com`, or `@sales.example.com` for the hostname's catch-all. */
  address: string;
  domain: string;
  catchAll: boolean;
  targets: string[];
  createdAt: string;
  updatedAt: string;
}

export const toAlias = (row: AliasRecord): Alias => ({
  id: row.id,
  address: row.address,
  domain: domainOf(row.address),
  catchAll: row.address.startsWith('@'),
  targets: row.targets,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});
