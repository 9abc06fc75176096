import { Kind } from 'graphql';
import { describe, expect, it } from 'vitest';
import { AGSScalar, ARSScalar, DvdvOrganizationKeyScalar, LeikaKeyScalar } from '../../src/schema/scalars/keys';

const cases = [
  {
    scalar: ARSScalar,
    valid: ['16', '160', '16051', '160720011', '160510000000', '160720011011'],
    invalid: ['1', '1605', '1605100000', '1605100000000', '16051000000a', ' 160510000000', '', '16.051'],
    mentions: ['ARS', '2, 3, 5, 9 or 12 digits'],
  },
  {
    scalar: AGSScalar,
    valid: ['16', '160', '16051', '16051000', '16072011'],
    invalid: ['1605100', '160510000', '160510000000', 'abcdefgh', '16051 00'],
    mentions: ['AGS', '2, 3, 5 or 8 digits'],
  },
  {
    scalar: LeikaKeyScalar,
    valid: ['99050012104000', '99999000000001'],
    invalid: ['98050012104000', '9905001210400', '990500121040000', '99O50012104000'],
    mentions: ['LeiKa', '14 digits starting with 99'],
  },
  {
    scalar: DvdvOrganizationKeyScalar,
    valid: ['ags:16051000', 'psb:16051000_00', 'pab:AA_00000999', 'azr:09_022100', 'ubb:160510000000'],
    invalid: ['16051000', 'ags16051000', 'AGS:16051000', 'ags:', ':16051000', 'ags: 1605', 'a:1', `ags:${'1'.repeat(260)}`],
    mentions: ['DVDV', 'prefix:id'],
  },
];

describe.each(cases)('$scalar.name scalar', ({ scalar, valid, invalid, mentions }) => {
  it.each(valid)('accepts %s as variable and literal', (v) => {
    expect(scalar.parseValue(v)).toBe(v);
    expect(scalar.parseLiteral({ kind: Kind.STRING, value: v }, undefined)).toBe(v);
    expect(scalar.serialize(v)).toBe(v);
  });

  it.each(invalid)('rejects %j with the expected form in the message', (v) => {
    let message = '';
    try {
      scalar.parseValue(v);
    } catch (e) {
      message = (e as Error).message;
    }
    for (const m of mentions) expect(message).toContain(m);
    expect(() => scalar.parseLiteral({ kind: Kind.STRING, value: v }, undefined)).toThrow(mentions[1]);
  });

  it('rejects numbers: keys have leading zeros and must be strings', () => {
    expect(() => scalar.parseValue(16051000)).toThrow(mentions[1]);
    expect(() => scalar.parseLiteral({ kind: Kind.INT, value: '16051000' }, undefined)).toThrow(/got the number 16051000 \(write keys as strings\)/);
  });

  it('never serialises a malformed key from our own data', () => {
    expect(() => scalar.serialize('x')).toThrow();
  });
});
