import type { TxtResolver } from '../dns/txt-resolver.js';
import type { Store } from '../store/database.js';

/** What every use case may touch. Tests build one over a real database and a real DNS server. */
export interface ServiceContext {
  store: Store;
  dns: TxtResolver;
  /** Injectable so tests can move time; production passes `() => new Date()`. */
  clock: () => Date;
}

/** Who is acting: the account every read and write is scoped to, and a name for the audit log. */
export interface Actor {
  accountId: string;
  /** e.g. `token:<id>` or `cli:<user>`; never a secret. */
  name: string;
}

export const nowIso = (ctx: ServiceContext): string => ctx.clock().toISOString();
