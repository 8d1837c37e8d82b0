import { api } from '../api/client';
import type { Domain } from '../api/types';
import { useLoader, type Resource } from './useLoader';

/** The largest page the API hands out (src/services/page-limit.ts). */
const LARGEST_PAGE = 500;

/** Every domain of the account, following nextCursor. */
async function allDomains(signal: AbortSignal): Promise<Domain[]> {
  const items: Domain[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.GET('/v1/domains', {
      params: { query: { limit: LARGEST_PAGE, cursor } },
      signal,
    });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

/** Every domain and sub-domain of the account, in name order. */
export const useDomains = (): Resource<Domain[]> => useLoader('domains', allDomains);
