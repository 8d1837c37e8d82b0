import { describeCharacter, firstCharacterOutside } from './describe-character.js';
import { fail, ok, type Checked } from './errors.js';
import { RECORD_HOSTS } from './dns-plan.js';
import { checkHostname, MAX_LABEL_OCTETS, MAX_NAME_OCTETS } from './hostname.js';
import { verificationRecord } from './verification.js';

const LDH_CHARACTER = /^[a-z0-9-]$/;

/**
 * Each label right below a root that the root's own records occupy, with the record's host
 * relative to the root: `mta-sts` → `mta-sts`, `_tcp` → `_imaps._tcp`, `_mailwright` → the
 * ownership record.
 */
const RESERVED_LABELS: ReadonlyMap<string, string> = new Map(
  [verificationRecord('root', '').host.replace(/\.root$/, ''), ...Object.values(RECORD_HOSTS)]
    .reverse()
    .map((host) => [host.split('.').pop()!, host]),
);

export { splitLabels } from './split-labels.js';

/**
 * One sub-domain label (as produced by `splitLabels`) under the A-label root `parent`;
 * returns the full hostname.
 */
export function checkSubdomainLabel(label: string, parent: string): Checked<string> {
  if (label === '') return fail('required', 'Enter a sub-domain label, for example sales.');
  if (label.includes('.')) {
    const first = label.split('.')[0] || 'sales';
    return fail(
      'contains_dot',
      `Enter one label per line, without dots — for example ${first}, not ${first}.${parent}.`,
    );
  }
  const reservedBy = RESERVED_LABELS.get(label);
  if (reservedBy !== undefined) {
    const instead = `${label.replace(/^_+/, '')}-mail`;
    const holds = reservedBy === label ? 'a DNS record' : `DNS records (${reservedBy}.${parent})`;
    return fail(
      'reserved_label',
      `${label}.${parent} holds ${holds} of ${parent} itself, which a sub-domain's own records would clash with: choose another label, for example ${instead}.`,
    );
  }
  const bad = firstCharacterOutside(label, LDH_CHARACTER);
  if (bad !== undefined) {
    return fail(
      'invalid_character',
      `Remove ${describeCharacter(bad)}: a sub-domain label can only contain lowercase letters a–z, digits and hyphens — for example sales-eu.`,
    );
  }
  if (label.startsWith('-') || label.endsWith('-')) {
    const trimmed = label.replace(/^-+|-+$/g, '') || 'sales';
    return fail(
      'hyphen_edge',
      `"${label}" starts or ends with a hyphen: a label must begin and end with a letter or digit — for example ${trimmed}.`,
    );
  }
  if (label.length > MAX_LABEL_OCTETS) {
    return fail(
      'too_long',
      `"${label}" has ${label.length} characters; a label can have at most ${MAX_LABEL_OCTETS}, so shorten it.`,
    );
  }
  const name = `${label}.${parent}`;
  if (name.length > MAX_NAME_OCTETS) {
    return fail(
      'too_long',
      `${name} would be ${name.length} characters long; a hostname can have at most ${MAX_NAME_OCTETS}, so use a shorter label.`,
    );
  }
  // LDH is not enough for xn-- labels: they must decode to a valid international label, or
  // the hostname could never be found again by name.
  const host = checkHostname(name);
  if (!host.ok || host.value.name !== name) {
    return fail(
      'invalid_character',
      `"${label}" is not a valid international label: check the xn-- spelling, or use plain letters, digits and hyphens — for example sales.`,
    );
  }
  return ok(name);
}
