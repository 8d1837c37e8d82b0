import type { Domain } from '../api/types';
import { formatNumber } from '../format';

/** "3 / 5" with a thin bar, for slots and limits. */
export function UsageMeter({ used, max, label }: { used: number; max: number; label: string }) {
  const ratio = max > 0 ? used / max : 1;
  const tone = ratio >= 1 ? 'full' : ratio >= 0.8 ? 'high' : 'ok';
  return (
    <span className="usage" title={label}>
      <span className="usage-text">
        {formatNumber(used)} / {formatNumber(max)}
      </span>
      <span className={`usage-bar usage-${tone}`} aria-hidden="true">
        <span style={{ width: `${Math.min(100, ratio * 100)}%` }} />
      </span>
    </span>
  );
}

/** A domain's mailboxes against its mailbox limit. */
export const MailboxSlots = ({ domain }: { domain: Domain }) => (
  <UsageMeter
    used={domain.mailboxCount}
    max={domain.mailboxLimit}
    label={`${domain.mailboxCount} of ${domain.mailboxLimit} mailbox slots used`}
  />
);
