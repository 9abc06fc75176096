import { GraphQLError } from 'graphql';

/** Client errors with a stable `code` and the offending argument, so UIs can point at the field. */
export class BadInputError extends GraphQLError {
  constructor(argument: string, expected: string, got?: unknown) {
    super(`Argument "${argument}": expected ${expected}${got === undefined ? '' : `, got ${JSON.stringify(got)}`}`, {
      extensions: { code: 'BAD_USER_INPUT', argument, expected },
    });
  }
}

export class NotFoundError extends GraphQLError {
  /** @param keys when several keys of a list argument are unknown: all of them (extensions.keys). */
  constructor(what: string, keyName: string, key: string, keys?: string[]) {
    super(`No ${what} with ${keyName} "${key}"`, { extensions: { code: 'NOT_FOUND', argument: keyName, key, ...(keys ? { keys } : {}) } });
  }
}
