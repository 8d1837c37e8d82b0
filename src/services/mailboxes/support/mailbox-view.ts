import type { MailboxSummary } from '../../../store/mailboxes.js';

/** The API's Mailbox representation; the password hash never leaves the store layer. */
export interface Mailbox {
  id: string;
  address: string;
  localPart: string;
  domain: string;
  name: string;
  quotaMb: number;
  active: boolean;
  createdAt: string;
}

export function toMailbox(row: MailboxSummary): Mailbox {
  return {
    id: row.id,
    address: row.address,
    localPart: row.local_part,
    domain: row.address.slice(row.address.lastIndexOf('@') + 1),
    name: row.name,
    quotaMb: row.quota_mb,
    active: row.active === 1,
    createdAt: row.created_at,
  };
}
