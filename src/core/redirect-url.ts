import { fail, ok, type Checked } from './errors.js';

/** Browsers and proxies handle Location values far longer, but nothing legitimate needs more. */
export const MAX_REDIRECT_URL_LENGTH = 2048;

const EXAMPLE = 'https://www.example.com/';

/**
 * Where a root domain's web visitors are sent (`301 Location`). HTTPS only, because the
 * redirect must not downgrade a visitor who arrived over HTTPS; no user name or password,
 * because the Location header is public and would hand them to every visitor.
 */
export function checkRedirectUrl(input: string): Checked<string> {
  const typed = input.trim();
  if (typed === '') return fail('required', `Enter an https URL, for example ${EXAMPLE}.`);
  if (typed.length > MAX_REDIRECT_URL_LENGTH) {
    return fail(
      'too_long',
      `Enter a URL of at most ${MAX_REDIRECT_URL_LENGTH} characters; this one has ${typed.length}.`,
    );
  }
  let url: URL;
  try {
    url = new URL(typed);
  } catch {
    return fail('not_url', `Enter a full URL starting with https://, for example ${EXAMPLE}.`);
  }
  if (url.protocol !== 'https:') {
    return fail(
      'not_https',
      `Enter an https:// URL; ${url.protocol.replace(/:$/, '')} is not accepted, so visitors are never sent to an unencrypted page.`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    return fail(
      'has_credentials',
      'Remove the user name and password from the URL: every visitor would see them in the redirect.',
    );
  }
  return ok(url.href);
}
