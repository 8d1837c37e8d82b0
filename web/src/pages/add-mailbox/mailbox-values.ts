import type { ApiError } from '../../api/client';
import { sendingRequest, type SendingValues } from '../../components/SendingFields';
import { DEFAULT_QUOTA_MB, splitLines } from '../../server-rules';

/**
 * What the Add Mailbox form holds. All modes share one set of values, so switching between
 * Single, Bulk and Spread keeps what was typed.
 */
export interface MailboxValues {
  name: string;
  mode: 'single' | 'bulk' | 'spread';
  localPart: string;
  domain: string;
  count: string;
  generate: boolean;
  password: string;
  quota: string;
  /** Spread: one persona name a line, the hostnames ticked, and mailboxes per hostname. */
  personas: string;
  domains: string[];
  perDomain: string;
  /** Every new mailbox's sending limits: the account's defaults until changed (null: loading). */
  sending: SendingValues | null;
}

export type MailboxField = keyof MailboxValues;

export const blankValues = (domain: string | null): MailboxValues => ({
  name: '',
  mode: 'single',
  localPart: '',
  domain: domain ?? '',
  count: '',
  generate: true,
  password: '',
  quota: String(DEFAULT_QUOTA_MB),
  personas: '',
  domains: [],
  perDomain: '',
  sending: null,
});

/** The fields of POST /v1/mailboxes that every mode sends. */
const credentialRequest = (values: MailboxValues) => ({
  password: values.generate
    ? ({ generate: true } as const)
    : ({ generate: false, value: values.password } as const),
  quotaMb: values.quota.trim() === '' ? undefined : Number(values.quota),
  sending: values.sending ? sendingRequest(values.sending) : undefined,
});

/** …and those of the modes on one hostname for one name. */
const commonRequest = (values: MailboxValues) => ({
  name: values.name,
  domain: values.domain,
  ...credentialRequest(values),
});

export const singleRequest = (values: MailboxValues) =>
  ({ mode: 'single', ...commonRequest(values), localPart: values.localPart }) as const;

export const bulkRequest = (values: MailboxValues) =>
  ({ mode: 'bulk', ...commonRequest(values), count: Number(values.count || 0) }) as const;

export const spreadRequest = (values: MailboxValues) =>
  ({
    mode: 'spread',
    domains: values.domains,
    personas: splitLines(values.personas).map((name) => ({ name })),
    perDomain: Number(values.perDomain || 0),
    ...credentialRequest(values),
  }) as const;

/** Refusals that name no field but are about one. */
const FIELD_OF_CODE: Record<string, MailboxField> = {
  mailbox_exists: 'localPart',
  domain_not_verified: 'domain',
  domain_not_found: 'domain',
};
/** Form fields the API calls otherwise. */
const API_FIELD: Partial<Record<MailboxField, string>> = { quota: 'quotaMb' };

/** What a refusal says about one field of the form. */
export function fieldError(error: ApiError | undefined, field: MailboxField): string | undefined {
  if (!error) return undefined;
  return (
    error.messageFor(API_FIELD[field] ?? field) ??
    (FIELD_OF_CODE[error.code] === field ? error.message : undefined)
  );
}

/** A refusal that none of the shown fields can hold, to show above the form instead. */
export const unplacedError = (
  error: ApiError | undefined,
  shown: MailboxField[],
): ApiError | undefined =>
  error && !shown.some((field) => fieldError(error, field)) ? error : undefined;
