import { describe, expect, it } from 'vitest';
import { checkHostname, checkRootDomain } from '../../src/core/hostname.js';
import { expectFailure, expectValue } from './expect-checked.js';

describe('checkRootDomain normalisation', () => {
  it('accepts a plain root domain', () => {
    expect(expectValue(checkRootDomain('example.com'))).toEqual({
      name: 'example.com',
      unicodeName: 'example.com',
    });
  });

  it('lowercases and drops one trailing dot', () => {
    expect(expectValue(checkRootDomain('EXAMPLE.COM.')).name).toBe('example.com');
  });

  it('trims surrounding spaces', () => {
    expect(expectValue(checkRootDomain('  example.com  ')).name).toBe('example.com');
  });

  it('rejects two trailing dots as an empty label', () => {
    expectFailure(checkRootDomain('example.com..'), 'empty_label', 'extra dot');
  });

  it('rejects empty or blank input as required', () => {
    expectFailure(checkRootDomain(''), 'required', 'example.com');
    expectFailure(checkRootDomain('   '), 'required', 'example.com');
  });
});

describe('checkRootDomain rejects pasted URLs and addresses', () => {
  it('rejects a domain typed with https://', () => {
    expectFailure(
      checkRootDomain('https://example.com'),
      'has_scheme',
      'without https:// — for example example.com',
    );
  });

  it('rejects a bare http:// and ftp:// scheme', () => {
    expectFailure(checkRootDomain('http://'), 'has_scheme', 'without http://');
    expectFailure(
      checkRootDomain('ftp://files.example.org'),
      'has_scheme',
      'for example files.example.org',
    );
  });

  it('rejects a scheme without slashes', () => {
    expectFailure(checkRootDomain('http:example.com'), 'has_scheme', 'for example example.com');
  });

  it('rejects an e-mail address and suggests the part after the @', () => {
    expectFailure(checkRootDomain('user@example.com'), 'has_userinfo', 'for example example.com');
  });

  it.each(['example.com/x', 'example.com?a', 'example.com#x'])(
    'rejects %s as having a path',
    (input) => {
      expectFailure(checkRootDomain(input), 'has_path', 'for example example.com');
    },
  );

  it('rejects a port', () => {
    expectFailure(
      checkRootDomain('example.com:8080'),
      'has_port',
      /":8080".*for example example\.com/,
    );
  });

  it.each(['[::1]', '::1', '1.2.3.4', '2001:db8::1', '1.2.3'])(
    'rejects the IP address %s',
    (input) => {
      expectFailure(
        checkRootDomain(input),
        'ip_address',
        'Enter a domain name instead of an IP address',
      );
    },
  );

  it('rejects an IP address typed in full-width digits', () => {
    expectFailure(checkRootDomain('１.２.３.４'), 'ip_address', 'domain name');
  });
});

describe('checkRootDomain syntax rules', () => {
  it('rejects a www. prefix and names the domain to enter', () => {
    expectFailure(
      checkRootDomain('www.example.com'),
      'www_prefix',
      'Enter example.com without www.',
    );
  });

  it('accepts www.com, which is itself a registrable domain', () => {
    expect(expectValue(checkRootDomain('www.com')).name).toBe('www.com');
  });

  it.each([
    ['exa mple.com', 'the space'],
    ['exa_mple.com', '"_"'],
    ['*.example.com', '"*"'],
    ['exa\u200bmple.com', 'the invisible character U+200B'],
  ])('rejects %j and names the offending character', (input, named) => {
    expectFailure(checkRootDomain(input), 'invalid_character', `Remove ${named}`);
  });

  it.each(['a..example.com', '.example.com'])('rejects the empty label in %s', (input) => {
    expectFailure(checkRootDomain(input), 'empty_label', 'Remove the extra dot');
  });

  it('rejects a label over 63 characters', () => {
    expectFailure(checkRootDomain(`${'a'.repeat(64)}.com`), 'too_long', 'at most 63');
  });

  it('accepts a label of exactly 63 characters', () => {
    expect(checkRootDomain(`${'a'.repeat(63)}.com`).ok).toBe(true);
  });

  it('measures label length on the A-label form', () => {
    // 60 Unicode letters become a longer xn-- label.
    expectFailure(checkRootDomain(`${'ü'.repeat(60)}.de`), 'too_long', 'at most 63');
  });

  it('rejects a name over 253 characters', () => {
    const name = `${`${'a'.repeat(60)}.`.repeat(4)}${'b'.repeat(10)}.com`;
    expectFailure(checkHostname(name), 'too_long', 'at most 253');
  });

  it.each(['-example.com', 'example-.com'])('rejects the hyphen at the edge of %s', (input) => {
    expectFailure(checkRootDomain(input), 'hyphen_edge', 'for example example');
  });

  it.each(['localhost', 'com'])('rejects the single label %s as not a domain', (input) => {
    expectFailure(checkRootDomain(input), 'not_a_domain', 'for example example.com');
  });

  it('rejects a name ending in a number', () => {
    expectFailure(checkRootDomain('example.123'), 'not_a_domain', 'for example example.com');
  });
});

describe('checkRootDomain registrable-domain rules', () => {
  it('accepts example.co.uk as a root', () => {
    expect(expectValue(checkRootDomain('example.co.uk')).name).toBe('example.co.uk');
  });

  it.each(['co.uk', 'github.io', 'com.au'])('rejects the public suffix %s', (input) => {
    expectFailure(checkRootDomain(input), 'public_suffix', `for example example.${input}`);
  });

  it('accepts a name under a private suffix as a root', () => {
    expect(expectValue(checkRootDomain('myname.github.io')).name).toBe('myname.github.io');
  });

  it('rejects a sub-domain typed as a root and says what to add instead', () => {
    expectFailure(
      checkRootDomain('sales.example.com'),
      'not_root',
      'sales.example.com is a sub-domain: add example.com as the domain, then add sales as a sub-domain.',
    );
  });

  it('rejects sales.example.co.uk as a sub-domain of example.co.uk', () => {
    expectFailure(
      checkRootDomain('sales.example.co.uk'),
      'not_root',
      'add example.co.uk as the domain',
    );
  });

  it('points a nested sub-domain at its root', () => {
    expectFailure(checkRootDomain('a.b.example.com'), 'not_root', 'add example.com as the domain.');
  });
});

describe('checkRootDomain internationalised names', () => {
  it('accepts bücher.de with its A-label and U-label forms', () => {
    expect(expectValue(checkRootDomain('bücher.de'))).toEqual({
      name: 'xn--bcher-kva.de',
      unicodeName: 'bücher.de',
    });
  });

  it('accepts 例え.jp', () => {
    expect(expectValue(checkRootDomain('例え.jp'))).toEqual({
      name: 'xn--r8jz45g.jp',
      unicodeName: '例え.jp',
    });
  });

  it('accepts a name typed as an A-label', () => {
    expect(expectValue(checkRootDomain('xn--bcher-kva.de'))).toEqual({
      name: 'xn--bcher-kva.de',
      unicodeName: 'bücher.de',
    });
  });

  it('lowercases Unicode letters', () => {
    expect(expectValue(checkRootDomain('BÜCHER.DE')).name).toBe('xn--bcher-kva.de');
  });

  it('rejects an invalid xn-- label', () => {
    expectFailure(
      checkRootDomain('xn--abc.com'),
      'invalid_character',
      'type it in its own script, for example bücher.de',
    );
  });

  it('rejects an A-label that decodes to a symbol', () => {
    expectFailure(checkRootDomain('xn--n3h.com'), 'invalid_character', 'Remove "☃"');
  });
});

describe('checkHostname', () => {
  it('accepts a sub-domain', () => {
    expect(expectValue(checkHostname('Sales.Example.com.'))).toEqual({
      name: 'sales.example.com',
      unicodeName: 'sales.example.com',
    });
  });

  it('accepts a public suffix and a www. name, which are valid hostnames', () => {
    expect(checkHostname('co.uk').ok).toBe(true);
    expect(checkHostname('www.example.com').ok).toBe(true);
  });

  it('applies the syntax rules', () => {
    expectFailure(
      checkHostname('https://sales.example.com/x'),
      'has_scheme',
      'for example sales.example.com',
    );
    expectFailure(checkHostname('localhost'), 'not_a_domain', 'example.com');
    expectFailure(checkHostname('sales_eu.example.com'), 'invalid_character', 'Remove "_"');
  });
});

describe('hints for pasted URLs', () => {
  it('suggests the bare domain for a domain typed as https://www.example.com/', () => {
    const checked = checkRootDomain('https://www.example.com/');
    expect(checked).toMatchObject({ ok: false, code: 'has_scheme' });
    if (!checked.ok) {
      expect(checked.message).toContain('https:// or www.');
      expect(checked.message).toMatch(/for example example\.com\.$/);
    }
  });
});
