/**
 * The cache yoga keeps of parsed documents (and of parse errors), keyed by the query text. Yoga's own
 * keeps 1,024 texts of any length, and a comment costs no token: a stream of distinct queries padded
 * with a megabyte of comment would keep a gigabyte. Here at most `DOCUMENTS_KEPT` texts are kept, least
 * recently used first out, and only texts up to `LONGEST_KEPT` characters; longer ones are parsed
 * each time (the token limit keeps that cheap).
 */
import { BoundedCache } from '../db/bounded-cache.ts';

/** Parsed documents kept. */
export const DOCUMENTS_KEPT = 1000;
/** The longest query text kept parsed, in characters: 16 KiB, far beyond a hand-written query. */
export const LONGEST_KEPT = 16 * 1024;

/** What yoga's `parserAndValidationCache` takes for its document and error caches. */
export interface TextCache<T> {
  get(text: string): T | undefined;
  set(text: string, value: T): void;
}

/** A cache for yoga's `parserAndValidationCache.documentCache` / `errorCache` (see above). */
export function createDocumentCache<T>(): TextCache<T> {
  const cache = new BoundedCache<string, T>(DOCUMENTS_KEPT);
  return {
    get: (text) => cache.get(text),
    set(text, value) {
      if (text.length <= LONGEST_KEPT) cache.set(text, value);
    },
  };
}
