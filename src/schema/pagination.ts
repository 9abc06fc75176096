import type { Connection } from './types/connection';
import { BadInputError } from './errors';

export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_PAGE_SIZE = 50;

const PREFIX = 'c1:';
export const encodeCursor = (key: string): string => Buffer.from(PREFIX + key, 'utf8').toString('base64url');

export function decodeCursor(cursor: string, argument = 'after'): string {
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!raw.startsWith(PREFIX) || encodeCursor(raw.slice(PREFIX.length)) !== cursor) {
    throw new BadInputError(argument, 'a cursor returned in pageInfo.endCursor or edges.cursor of an earlier page', cursor);
  }
  return raw.slice(PREFIX.length);
}

export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw new BadInputError('first', `an integer from 0 to ${MAX_PAGE_SIZE}`, first);
  }
  return first;
}

/**
 * Keyset pagination over an already ordered list: the cursor is the item's stable key, so a page
 * stays correct even when items before it are added or removed between requests. `items` may be only the
 * leading part of the list (enough to cover the page); `total` is then the length of the whole list.
 */
export function paginate<T>(items: readonly T[], keyOf: (t: T) => string, args: { first?: number | null; after?: string | null }, total = items.length): Connection<T> {
  const size = pageSize(args.first);
  let start = 0;
  if (args.after) {
    const afterKey = decodeCursor(args.after);
    const idx = items.findIndex((t) => keyOf(t) > afterKey);
    start = idx === -1 ? items.length : idx;
  }
  const slice = items.slice(start, start + size);
  const edges = slice.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return {
    edges,
    totalCount: total,
    pageInfo: {
      hasNextPage: start + size < total,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
