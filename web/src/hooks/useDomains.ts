import { api } from '../api/client';
import type { Domain } from '../api/types';
import { MAX_PAGE_LIMIT } from '../server-rules';
import { useLoader, type Resource } from './useLoader';

/** Every domain of the account, following nextCursor in the largest pages the API allows. */
async function allDomains(signal: AbortSignal): Promise<Domain[]> {
  const items: Domain[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.GET('/v1/domains', {
      params: { query: { limit: MAX_PAGE_LIMIT, cursor } },
      signal,
    });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

/** Every domain and sub-domain of the account, in name order. */
export const useDomains = (): Resource<Domain[]> => useLoader('domains', allDomains);
