import { AppError, orThrow } from '../../core/errors.js';
import { checkRootDomain } from '../../core/hostname.js';
import { assertListSize, DEFAULT_DOMAIN_QUOTA_MB, MAX_DOMAIN_NAMES } from '../../core/limits.js';
import { splitLines } from '../../core/split-labels.js';
import type { DomainRecord } from '../../store/domains.js';
import type { Actor, ServiceContext } from '../context.js';
import { ensureDkimKeys } from '../dns-records/support/dkim-keys.js';
import { toDomain, type Domain } from './support/domain-view.js';
import { insertRootDomain } from './support/insert-root-domain.js';

export interface RejectedDomain {
  /** The line as typed (trimmed), so a form can put the answer beside it. */
  name: string;
  code: string;
  message: string;
}

/**
 * Adds each line as a root domain, one transaction per name as the single add does, so one bad,
 * taken or over-the-limit name never blocks the others and every line gets its own answer with
 * the single add's code and hint. Both lists keep the order the names were typed in.
 */
export async function addDomains(
  ctx: ServiceContext,
  actor: Actor,
  input: { names: string | string[] },
): Promise<{ created: Domain[]; rejected: RejectedDomain[] }> {
  const lines = splitLines(input.names);
  assertListSize('names', lines.length, MAX_DOMAIN_NAMES, 'domain names');
  if (lines.length === 0) {
    orThrow('names', {
      ok: false,
      code: 'required',
      message: 'Enter at least one domain, one per line (for example example.com).',
    });
  }

  const rows: DomainRecord[] = [];
  const rejected: RejectedDomain[] = [];
  const seen = new Set<string>();
  for (const line of lines) {
    const checked = checkRootDomain(line);
    if (!checked.ok) {
      rejected.push({ name: line, code: checked.code, message: checked.message });
      continue;
    }
    const { name } = checked.value;
    if (seen.has(name)) {
      rejected.push({
        name: line,
        code: 'duplicate',
        message: `${name} appears on an earlier line; it is added once.`,
      });
      continue;
    }
    seen.add(name);
    try {
      rows.push(
        await insertRootDomain(ctx, actor, checked.value, { quotaMb: DEFAULT_DOMAIN_QUOTA_MB }),
      );
    } catch (error) {
      if (
        !(error instanceof AppError) ||
        (error.kind !== 'conflict' && error.kind !== 'validation')
      )
        throw error;
      rejected.push({ name: line, code: error.code, message: error.message });
    }
  }
  // After the commits, so no transaction holds the account lock through key generation; the
  // generations run side by side on libuv's thread pool.
  await Promise.all(rows.map((row) => ensureDkimKeys(ctx, row)));
  return { created: rows.map(toDomain), rejected };
}
