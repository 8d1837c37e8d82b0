import { fail, ok, type Checked } from './errors.js';
import { checkHostname } from './hostname.js';

/** The target of `track.<domain> CNAME`: any DNS name, e.g. the tracking host of a sending tool. */
export function checkTrackingTarget(input: string): Checked<string> {
  const checked = checkHostname(input);
  if (!checked.ok) {
    return fail(
      checked.code,
      `${checked.message} The tracking CNAME points at a host name such as links.example-esp.net.`,
    );
  }
  return ok(checked.value.name);
}
