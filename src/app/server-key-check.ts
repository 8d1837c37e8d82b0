import type { Secrets } from '../services/context.js';
import type { Store } from '../store/database.js';
import { recordServerKeyCheck } from '../store/server-key-check.js';

const LABEL = 'mailwright server key check v1';

/**
 * Refuses to run a process whose server key is not the one the database's secrets are sealed
 * with: several API processes and the mail hosts share one PostgreSQL, and one started with
 * another key would seal credentials and DKIM keys that no other process can open (and fail to
 * open theirs). The first process on a database records its key.
 */
export async function checkServerKey(store: Store, secrets: Secrets, now: Date): Promise<void> {
  const mine = secrets.mac(LABEL);
  const recorded = await recordServerKeyCheck(store.db, mine, now.toISOString());
  if (recorded !== mine) {
    throw new Error(
      'This database was set up with another server key: give every Mailwright process that ' +
        'shares it the same key (MAILWRIGHT_SECRET_KEY, or the same MAILWRIGHT_DATA_DIR/secret.key), see ' +
        'docs/deployment.md, "Several processes on one PostgreSQL".',
    );
  }
}
