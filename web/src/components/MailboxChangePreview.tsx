import { plural } from '../format';

/** One mailbox of a bulk change's preview: its setting now and after, or why it is refused. */
export interface MailboxChangeRow<T> {
  address: string;
  before: T;
  after: T;
  changed: boolean;
  refused?: { message: string } | null;
}

/**
 * The preview table of a bulk change to many mailboxes and the dialog's buttons: Preview until
 * a preview is shown, then Apply to the mailboxes it lists.
 */
export function MailboxChangePreview<T>({
  rows,
  summary,
  busy,
  onCancel,
}: {
  rows: MailboxChangeRow<T>[] | undefined;
  summary: (setting: T) => string;
  busy: boolean;
  onCancel: () => void;
}) {
  return (
    <>
      {rows && (
        <table className="table" aria-label="Preview">
          <thead>
            <tr>
              <th scope="col">Address</th>
              <th scope="col">Now</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.address}>
                <td>{row.address}</td>
                <td>{summary(row.before)}</td>
                <td>
                  {row.refused
                    ? `Refused: ${row.refused.message}`
                    : row.changed
                      ? summary(row.after)
                      : 'unchanged'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="modal-actions">
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={busy}>
          {rows ? `Apply to ${plural(rows.length, 'mailbox', 'mailboxes')}` : 'Preview'}
        </button>
      </div>
    </>
  );
}
