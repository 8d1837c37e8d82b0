import type { Domain } from '../api/types';
import { allPages, useLoader, type Resource } from './useResource';

/** Every domain and sub-domain of the account, in name order. */
export const useDomains = (): Resource<Domain[]> =>
  useLoader('domains', (signal) => allPages<Domain>('/v1/domains', signal));
