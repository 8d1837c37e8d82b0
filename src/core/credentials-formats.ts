/**
 * The layouts a job's credentials CSV can be downloaded in: Mailwright's own (`generic`) and the
 * bulk-import files of the sending tools, so a download imports without mapping columns. Apart
 * from credentials-csv.ts (which needs the CSV writer) so the console can offer them too.
 */
export const CREDENTIALS_FORMATS = ['generic', 'instantly', 'smartlead', 'emailbison'] as const;
export type CredentialsFormat = (typeof CREDENTIALS_FORMATS)[number];
export const DEFAULT_CREDENTIALS_FORMAT: CredentialsFormat = 'generic';

/** How the console names each format. */
export const CREDENTIALS_FORMAT_LABELS: Readonly<Record<CredentialsFormat, string>> = {
  generic: 'Generic CSV (email, password, IMAP and SMTP)',
  instantly: 'Instantly',
  smartlead: 'Smartlead',
  emailbison: 'EmailBison',
};
