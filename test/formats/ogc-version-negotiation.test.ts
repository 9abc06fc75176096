import { describe, expect, it } from 'vitest';
import { compareVersions, negotiateAcceptVersions, negotiateVersion } from '../../src/formats/ogc/version';

/**
 * GetCapabilities version negotiation as the standards state it (src/formats/ogc/version.ts):
 * WMS 1.3.0 §6.2.4 (same in WMS 1.1.1) for a VERSION parameter, OWS Common 1.1 §7.3.2 / WFS 2.0.0 §7.6
 * for AcceptVersions. The cases below are the rules of those sections, one each.
 */

describe('dotted version order', () => {
  it('compares numerically, part by part, missing parts as 0', () => {
    expect(compareVersions('1.10.0', '1.9.0')).toBeGreaterThan(0);
    expect(compareVersions('1.9.0', '1.10.0')).toBeLessThan(0);
    expect(compareVersions('1.1.1', '1.3.0')).toBeLessThan(0);
    expect(compareVersions('2.0.0', '1.3.0')).toBeGreaterThan(0);
    expect(compareVersions('1.3.0', '1.3.0')).toBe(0);
    expect(compareVersions('1.3', '1.3.0')).toBe(0);
    expect(compareVersions('1.3.0', '1.3')).toBe(0);
    expect(compareVersions('1.3.1', '1.3')).toBeGreaterThan(0);
    expect(compareVersions('1.3', '1.3.1')).toBeLessThan(0);
    // a non-numeric part counts as 0 rather than poisoning the comparison
    expect(compareVersions('1.x.0', '1.0.0')).toBe(0);
    expect(compareVersions('1.1.0', '1.0.5')).toBeGreaterThan(0);
  });
});

describe('WMS 1.3.0 §6.2.4: VERSION negotiation', () => {
  // any order: the server's list is not assumed sorted
  const WMS = ['1.3.0', '1.1.1', '1.1.0'];

  it('no version asked (absent, empty or blank): the highest supported', () => {
    expect(negotiateVersion(WMS, undefined)).toBe('1.3.0');
    expect(negotiateVersion(WMS, null)).toBe('1.3.0');
    expect(negotiateVersion(WMS, '')).toBe('1.3.0');
    expect(negotiateVersion(WMS, '   ')).toBe('1.3.0');
  });

  it('a supported version is answered as asked (surrounding blanks ignored)', () => {
    expect(negotiateVersion(WMS, '1.1.1')).toBe('1.1.1');
    expect(negotiateVersion(WMS, '1.1.0')).toBe('1.1.0');
    expect(negotiateVersion(WMS, ' 1.1.1 ')).toBe('1.1.1');
  });

  it('an unsupported version: the highest supported version lower than the one asked', () => {
    expect(negotiateVersion(WMS, '1.2.0')).toBe('1.1.1');
    expect(negotiateVersion(WMS, '1.1.5')).toBe('1.1.1');
    expect(negotiateVersion(WMS, '9.0.0')).toBe('1.3.0');
  });

  it('every supported version higher than the one asked: the lowest supported', () => {
    expect(negotiateVersion(WMS, '1.0.0')).toBe('1.1.0');
    expect(negotiateVersion(['1.3.0'], '1.1.1')).toBe('1.3.0');
  });
});

describe('OWS Common 1.1 §7.3.2: AcceptVersions', () => {
  const WFS = ['1.1.0', '2.0.0'];

  it('the first listed version the server supports, in the client’s order of preference', () => {
    expect(negotiateAcceptVersions(WFS, '2.0.0,1.1.0')).toBe('2.0.0');
    expect(negotiateAcceptVersions(WFS, '1.1.0,2.0.0')).toBe('1.1.0');
    expect(negotiateAcceptVersions(WFS, '3.0.0, 1.1.0 ,2.0.0')).toBe('1.1.0');
  });

  it('none supported: null (the server answers VersionNegotiationFailed)', () => {
    expect(negotiateAcceptVersions(WFS, '3.0.0,1.0.0')).toBeNull();
  });

  it('an empty list: the highest supported version', () => {
    expect(negotiateAcceptVersions(WFS, '')).toBe('2.0.0');
    expect(negotiateAcceptVersions(['2.0.0', '1.1.0'], ' , ')).toBe('2.0.0');
    expect(negotiateAcceptVersions([], '')).toBeNull();
  });
});
