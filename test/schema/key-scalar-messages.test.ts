import { GraphQLError, Kind, parse, type ValueNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { AGSScalar, ARSScalar, DvdvOrganizationKeyScalar, KeyFormatError, KEY_SCALARS, LeikaKeyScalar } from '../../src/schema/scalars/keys';

/**
 * What a client is told when a key is not of the official form: the expected form and the offending value
 * (or literal kind), for variables, inline literals and our own output alike.
 */
const literal = (source: string): ValueNode => (parse(`{ f(a: ${source}) }`).definitions[0] as any).selectionSet.selections[0].arguments[0].value;

const message = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(KeyFormatError);
    expect(e).toBeInstanceOf(TypeError);
    expect(e).not.toBeInstanceOf(GraphQLError);
    return (e as Error).message;
  }
  throw new Error('expected a KeyFormatError');
};

describe('key scalar error messages', () => {
  it('a string value is quoted as given', () => {
    expect(message(() => AGSScalar.parseValue('1605 1000'))).toBe('expected an AGS (Amtlicher Gemeindeschlüssel) of 2, 3, 5 or 8 digits as a string, e.g. "16051000", got "1605 1000"');
    expect(message(() => LeikaKeyScalar.serialize('99'))).toBe('expected a LeiKa key of 14 digits starting with 99, e.g. "99050012104000", got "99"');
  });

  it('a number is named as one, with the hint to write keys as strings', () => {
    expect(message(() => ARSScalar.parseValue(16051))).toBe('expected an ARS (Amtlicher Regionalschlüssel) of 2, 3, 5, 9 or 12 digits as a string, e.g. "160510000000", got the number 16051 (write keys as strings)');
    expect(message(() => AGSScalar.parseLiteral(literal('16051000'), undefined))).toMatch(/, got the number 16051000 \(write keys as strings\)$/);
    // a float literal is no INT literal: its kind is named
    expect(message(() => AGSScalar.parseLiteral(literal('16.5'), undefined))).toMatch(/, got "FloatValue"$/);
  });

  it('other values and literal kinds are named as such', () => {
    expect(message(() => DvdvOrganizationKeyScalar.parseValue(true))).toMatch(/^expected a DVDV organisation key "prefix:id" \(lowercase letter prefix, 6–255 characters\), e\.g\. "ags:16051000", got true$/);
    expect(message(() => ARSScalar.serialize(null))).toMatch(/, got null$/);
    expect(message(() => ARSScalar.parseValue({ ars: '16' }))).toMatch(/, got \[object Object\]$/);
    expect(message(() => ARSScalar.parseLiteral(literal('true'), undefined))).toMatch(/, got "BooleanValue"$/);
    expect(message(() => ARSScalar.parseLiteral(literal('ERFURT'), undefined))).toMatch(/, got "EnumValue"$/);
    expect(message(() => ARSScalar.parseLiteral({ kind: Kind.LIST, values: [] }, undefined))).toMatch(/, got "ListValue"$/);
  });

  it('each scalar carries its expected form for schema consumers, and all four are exported', () => {
    expect(KEY_SCALARS.map((s) => s.name)).toEqual(['ARS', 'AGS', 'LeikaKey', 'DvdvOrganizationKey']);
    expect(ARSScalar.extensions.expected).toBe('an ARS (Amtlicher Regionalschlüssel) of 2, 3, 5, 9 or 12 digits as a string, e.g. "160510000000"');
    expect(AGSScalar.parseLiteral(literal('"16051000"'), undefined)).toBe('16051000');
  });

  it('AGS lengths: exactly 2, 3, 5 or 8 digits, nothing before or after', () => {
    for (const ok of ['16', '160', '16051', '16051000']) expect(AGSScalar.parseValue(ok)).toBe(ok);
    for (const bad of ['1', '1605', '160510', '1605100', '160510001', 'x16', '16x', 'x16051000', '16051000x', '']) expect(() => AGSScalar.parseValue(bad)).toThrow(KeyFormatError);
  });
});
