import { useEffect, useRef } from 'react';
import type { Mailbox } from '../api/types';
import { paths } from '../routes';
import { Link } from './Link';
import { OneTimeSecret } from './OneTimeSecret';

interface MailboxCreatedProps {
  mailbox: Mailbox;
  /** Only when generated: the one time the server shows it. */
  password: string | undefined;
  onAnother: () => void;
}

export function MailboxCreated({ mailbox, password, onAnother }: MailboxCreatedProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  return (
    <section className="panel" aria-labelledby="created-heading">
      <h2 id="created-heading" ref={heading} tabIndex={-1}>
        Mailbox created
      </h2>
      <p>
        <code className="address">{mailbox.address}</code> is ready
        {password ? '.' : ' and uses the password you entered.'}
      </p>
      {password && (
        <OneTimeSecret
          title={`Password for ${mailbox.address}`}
          what="password"
          value={password}
          advice="and hand it to the mailbox's user, or keep it in a password manager."
        />
      )}
      <div className="form-actions">
        <button type="button" className="button button-primary" onClick={onAnother}>
          Add another mailbox
        </button>
        <Link to={paths.mailboxes} className="button button-secondary">
          View mailboxes
        </Link>
      </div>
    </section>
  );
}
