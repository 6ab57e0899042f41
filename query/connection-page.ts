/** What a list field answers: a page of rows, fetched lazily, with the cursors of its rows. */
import type { Row } from '../db/prepared-rows.ts';
import type { GraphModel } from '../schema/graph.ts';

export interface Page {
  readonly nodes: readonly Row[];
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
}

/** A list field's answer: each part is fetched only when a client selects it. */
export interface Connection {
  /** The model of the rows (none for the empty list), whose relations `nodes` loads ahead. */
  readonly model?: GraphModel;
  /** Runs when `nodes`, `edges` or `pageInfo` is selected. */
  readonly page: () => Promise<Page> | Page;
  readonly cursorOf: (row: Row) => string;
  /** Runs when `totalCount` is selected. */
  readonly totalCount: () => Promise<number> | number;
}

/** The list with no rows (a `hasMany` of a row whose key is null). */
export const emptyConnection: Connection = {
  page: () => ({ nodes: [], hasNextPage: false, hasPreviousPage: false }),
  cursorOf: () => '',
  totalCount: () => 0,
};

/** Runs `load` once, on first call. */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => {
    result ??= load();
    return result;
  };
}
