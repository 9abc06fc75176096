import { isLeikaKey } from '../../reference/leika';
import { isArs } from '../../reference/municipalities';
import { isDvdvOrganizationKey } from '../../upstreams/dvdv/keys';
import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';

/**
 * Official keys as custom scalars. Each scalar carries a human description of its expected form so that
 * the error a client gets says what would have been accepted, not just "invalid".
 */
interface KeySpec {
  name: string;
  description: string;
  expected: string;
  test: (v: string) => boolean;
}

/**
 * A plain Error on purpose: graphql-js then adds the location and the offending literal or variable
 * to the message (a GraphQLError thrown here would be reported bare, without either).
 */
export class KeyFormatError extends TypeError {
  constructor(spec: KeySpec, value: unknown) {
    super(`expected ${spec.expected}, got ${describe(value)}`);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  // Keys have leading zeros and fixed lengths, so a number is never right even when the digits are.
  if (typeof value === 'number') return `the number ${value} (write keys as strings)`;
  return String(value);
}

function keyScalar(spec: KeySpec): GraphQLScalarType<string, string> {
  const check = (value: unknown): string => {
    if (typeof value !== 'string' || !spec.test(value)) throw new KeyFormatError(spec, value);
    return value;
  };
  return new GraphQLScalarType<string, string>({
    name: spec.name,
    description: spec.description,
    specifiedByURL: undefined,
    serialize: (v) => check(v),
    parseValue: (v) => check(v),
    parseLiteral: (ast: ValueNode) => {
      if (ast.kind !== Kind.STRING) throw new KeyFormatError(spec, ast.kind === Kind.INT ? Number(ast.value) : ast.kind);
      return check(ast.value);
    },
    extensions: { expected: spec.expected },
  });
}

export const ARS_SPEC: KeySpec = {
  name: 'ARS',
  description:
    'Amtlicher Regionalschlüssel (ARS): 2 digits (Land), 3 (Regierungsbezirk), 5 (Kreis), 9 (Gemeindeverband) or 12 (Gemeinde), as a string, e.g. "160510000000" for Erfurt.',
  expected: 'an ARS (Amtlicher Regionalschlüssel) of 2, 3, 5, 9 or 12 digits as a string, e.g. "160510000000"',
  test: isArs,
};

export const AGS_SPEC: KeySpec = {
  name: 'AGS',
  description:
    'Amtlicher Gemeindeschlüssel (AGS): 2 digits (Land), 3 (Regierungsbezirk), 5 (Kreis) or 8 (Gemeinde), as a string, e.g. "16051000" for Erfurt.',
  expected: 'an AGS (Amtlicher Gemeindeschlüssel) of 2, 3, 5 or 8 digits as a string, e.g. "16051000"',
  test: (v) => /^(\d{2}|\d{3}|\d{5}|\d{8})$/.test(v),
};

export const LEIKA_SPEC: KeySpec = {
  name: 'LeikaKey',
  description: 'Leistungsschlüssel of the LeiKa (Leistungskatalog): 14 digits starting with 99, e.g. "99050012104000".',
  expected: 'a LeiKa key of 14 digits starting with 99, e.g. "99050012104000"',
  test: isLeikaKey,
};

export const DVDV_KEY_SPEC: KeySpec = {
  name: 'DvdvOrganizationKey',
  description:
    'DVDV organisation key (Behördenschlüssel) `prefix:id`, e.g. "ags:16051000" (Meldebehörde) or "psb:16051000_00" (Passbehörde); 6 to 255 characters.',
  expected: 'a DVDV organisation key "prefix:id" (lowercase letter prefix, 6–255 characters), e.g. "ags:16051000"',
  test: isDvdvOrganizationKey,
};

export const ARSScalar = keyScalar(ARS_SPEC);
export const AGSScalar = keyScalar(AGS_SPEC);
export const LeikaKeyScalar = keyScalar(LEIKA_SPEC);
export const DvdvOrganizationKeyScalar = keyScalar(DVDV_KEY_SPEC);

export const KEY_SCALARS = [ARSScalar, AGSScalar, LeikaKeyScalar, DvdvOrganizationKeyScalar];
