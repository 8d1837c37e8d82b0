/**
 * The largest message the mail plane accepts, in bytes, the whole message as transmitted
 * (encoded attachments included): 50 MiB, what the big mailbox providers accept inbound.
 * Attachments grow by a third when encoded, so Postfix's default (10,240,000 bytes) would refuse
 * an ordinary 8 MB attachment.
 */
export const MESSAGE_SIZE_LIMIT = 50 * 1024 * 1024;
