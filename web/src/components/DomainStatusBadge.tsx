import type { Domain } from '../api/types';
import { domainHealth } from '../domains';
import { Badge } from './Badge';

export function DomainStatusBadge({ domain }: { domain: Domain }) {
  const { label, tone } = domainHealth(domain);
  return <Badge tone={tone}>{label}</Badge>;
}
