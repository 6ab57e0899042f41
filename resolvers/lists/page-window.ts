/** The window of a list request: how many rows, which way, and the cursors it starts from. */

import type { SQL } from 'drizzle-orm';
import type { Row } from '../../loaders/load-rows.ts';
import { decodeCursor, type Page, pageSize } from '../connection.ts';
import { clientError, ErrorCode } from '../errors.ts';
import { beyondCursor, type Ordering, validCursorValues } from './compile-order.ts';

export interface ListArguments {
  readonly where?: Record<string, unknown> | null;
  readonly orderBy?: unknown;
  readonly first?: number | null;
  readonly after?: string | null;
  readonly last?: number | null;
  readonly before?: string | null;
}

export interface PageWindow {
  readonly size: number;
  /** `last`/`before`: the rows nearest the end of the window, read in reverse order. */
  readonly backwards: boolean;
  readonly after: unknown[] | undefined;
  readonly before: unknown[] | undefined;
}

/** Checks the Relay arguments: `first` or `last` (not both) within the page-size limit, and the cursors. */
export function pageWindow(args: ListArguments, ordering: Ordering, maxPageSize: number): PageWindow {
  if (args.first != null && args.last != null) {
    throw clientError(
      ErrorCode.BAD_USER_INPUT,
      'Give "first" or "last", not both: page forward with first/after, backward with last/before.',
      {
        argument: 'last',
      },
    );
  }
  const backwards = args.last != null;
  const size = pageSize(backwards ? args.last : args.first, maxPageSize, backwards ? 'last' : 'first');
  const decode = (cursor: string | null | undefined, argument: string) => {
    if (cursor == null) return undefined;
    const values = decodeCursor(cursor, ordering.signature, ordering.keys.length, argument);
    if (validCursorValues(ordering, values)) return values;
    const message = `"${argument}" holds values this list never gives out; use a cursor from its pageInfo or edges.`;
    throw clientError(ErrorCode.BAD_USER_INPUT, message, { argument });
  };
  return { size, backwards, after: decode(args.after, 'after'), before: decode(args.before, 'before') };
}

/** The keyset conditions of a window: rows past `after` and short of `before` (either may be absent). */
export function windowConditions(ordering: Ordering, window: PageWindow): Array<SQL | undefined> {
  return [
    window.after && beyondCursor(ordering, window.after, false),
    window.before && beyondCursor(ordering, window.before, true),
  ];
}

/**
 * The page of a window from the rows read for it, in reading order (reversed for `last`) and at most
 * one past the page: that extra row says whether more lie beyond. The other side has more when the
 * window starts from a cursor.
 */
export function pageOf(rows: readonly Row[], window: PageWindow): Page {
  const more = rows.length > window.size;
  const nodes = rows.slice(0, window.size);
  if (window.backwards) nodes.reverse();
  return {
    nodes,
    hasNextPage: window.backwards ? window.before !== undefined : more,
    hasPreviousPage: window.backwards ? more : window.after !== undefined,
  };
}
