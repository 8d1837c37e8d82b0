import { ImapFlow } from 'imapflow';
import type { MailStack } from './mail-stack.js';

/**
 * Whether `user` logs in over plain IMAP on the stack's Dovecot (and then logs out): false when
 * Dovecot refuses the credentials, an error for anything else (a refused connection is a fault of
 * the test, not a refused login).
 */
export async function imapLogInWorks(
  stack: Pick<MailStack, 'settings'>,
  user: string,
  pass: string,
): Promise<boolean> {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port: stack.settings.ports.imap,
    secure: false,
    logger: false,
    auth: { user, pass },
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    if ((error as { authenticationFailed?: boolean }).authenticationFailed) return false;
    throw error;
  }
  await client.logout();
  return true;
}
