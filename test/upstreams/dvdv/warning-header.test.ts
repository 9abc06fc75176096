import { describe, expect, it } from 'vitest';
import { decodeRfc2047 } from '../../../src/upstreams/dvdv/mapper/directory';

/**
 * `dvdv-warning-msg` carries RFC 2047 encoded-words (docs/upstreams/dvdv.md: 204 + dvdv-warning-msg). Expected
 * texts are the RFC's own rules: B = base64, Q = quoted-printable with `_` for space (§4.2), the charset named in
 * the word, and white space between two adjacent encoded-words is not part of the text (§6.2).
 */
describe('dvdv-warning-msg decoding (RFC 2047)', () => {
  it('B and Q words in UTF-8 and ISO-8859-1; charset and encoding letter in any case', () => {
    expect(decodeRfc2047('=?UTF-8?B?RGllbnN0IHVuZ8O8bHRpZw==?=')).toBe('Dienst ungültig');
    expect(decodeRfc2047('=?utf-8?b?RGllbnN0IHVuZ8O8bHRpZw==?=')).toBe('Dienst ungültig');
    expect(decodeRfc2047('=?UTF-8?Q?Dienst_ung=C3=BCltig?=')).toBe('Dienst ungültig');
    expect(decodeRfc2047('=?ISO-8859-1?q?Dienst_ung=fcltig?=')).toBe('Dienst ungültig');
    expect(decodeRfc2047('=?ISO-8859-1?B?RGllbnN0IHVuZ/xsdGln?=')).toBe('Dienst ungültig');
  });

  it('text around encoded words is kept; plain text passes unchanged', () => {
    expect(decodeRfc2047('Hinweis: =?UTF-8?Q?g=C3=BCltig_ab?= 2026')).toBe('Hinweis: gültig ab 2026');
    expect(decodeRfc2047('Dienst nicht mehr gültig')).toBe('Dienst nicht mehr gültig');
    expect(decodeRfc2047('a =? b ?= c')).toBe('a =? b ?= c');
  });

  it('white space between adjacent encoded-words is dropped (§6.2): a split message reads as one text', () => {
    expect(decodeRfc2047('=?UTF-8?Q?Dienst_ist_nicht?= =?UTF-8?Q?_mehr_g=C3=BCltig?=')).toBe('Dienst ist nicht mehr gültig');
    expect(decodeRfc2047('=?UTF-8?B?RGllbnN0IGlzdA==?=\r\n =?UTF-8?B?IHVuZ8O8bHRpZw==?=')).toBe('Dienst ist ungültig');
    // between an encoded-word and plain text the space is text
    expect(decodeRfc2047('=?UTF-8?Q?Dienst?= ungültig')).toBe('Dienst ungültig');
  });

  it('an unknown charset falls back to UTF-8 instead of failing', () => {
    expect(decodeRfc2047('=?X-UNKNOWN?Q?gr=C3=BC=C3=9F?=')).toBe('grüß');
  });
});
