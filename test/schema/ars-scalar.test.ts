import { describe, expect, it } from 'vitest';
import { ARSScalar } from '../../src/schema/scalars/keys';

// Issue 16 item 13: the ARS scalar against the lengths the standard defines — 2 (Land), 3 (Regierungsbezirk),
// 5 (Kreis), 9 (Gemeindeverband), 12 (Gemeinde) digits — and every other length from 1 to 13, 11 included.
const ERFURT = '160510000000';
const VALID_LENGTHS = new Set([2, 3, 5, 9, 12]);

describe('ARS scalar', () => {
  it.each(Array.from({ length: 13 }, (_, i) => i + 1))('%i digits: accepted exactly for the levels of the standard', (n) => {
    const value = ERFURT.padEnd(13, '0').slice(0, n);
    if (VALID_LENGTHS.has(n)) {
      expect(ARSScalar.parseValue(value)).toBe(value);
      expect(ARSScalar.serialize(value)).toBe(value);
    } else {
      expect(() => ARSScalar.parseValue(value)).toThrow(/an ARS \(Amtlicher Regionalschlüssel\) of 2, 3, 5, 9 or 12 digits/);
      expect(() => ARSScalar.serialize(value)).toThrow();
    }
  });

  it('an 11-digit key (a 12-digit ARS missing a digit) is refused, with the value named', () => {
    expect(() => ARSScalar.parseValue('16051000000')).toThrow('got "16051000000"');
  });
});
