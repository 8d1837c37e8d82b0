import { CopyButton } from './CopyButton';

interface OneTimeSecretProps {
  title: string;
  /** What the secret is, for the copy button's name, e.g. "password". */
  what: string;
  value: string;
  /** Where the secret goes next, after the warning. */
  advice?: string;
}

/** A secret the server shows only once (a generated password, an API token). */
export function OneTimeSecret({ title, what, value, advice }: OneTimeSecretProps) {
  return (
    <section className="secret" aria-label={title}>
      <p className="secret-title">{title}</p>
      <div className="secret-value">
        <code data-secret>{value}</code>
        <CopyButton value={value} what={what} />
      </div>
      <p className="secret-warning">
        <strong>You will not see this again.</strong> Copy it now
        {advice ? ` ${advice}` : ' and keep it somewhere safe, such as a password manager.'}
      </p>
    </section>
  );
}
