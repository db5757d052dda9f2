// Relay-style cursor paging over keyset positions. Cursors are opaque base64url JSON.
import { badUserInput } from './errors';

export const MAX_PAGE_SIZE = 100;

export function pageSize(first: number | null | undefined, fallback = 20): number {
  const size = first ?? fallback;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw badUserInput(`first must be between 1 and ${MAX_PAGE_SIZE} (got ${size}).`, 'first');
  }
  return size;
}

export function encodeCursor(position: (string | number)[]): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** Decodes a cursor made by encodeCursor with the same shape, or raises BAD_USER_INPUT. */
export function decodeCursor<T extends (string | number)[]>(cursor: string | null | undefined, shape: ('string' | 'number')[]): T | undefined {
  if (cursor == null) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === shape.length && parsed.every((v, i) => typeof v === shape[i])) {
      return parsed as T;
    }
  } catch {
    // fall through to the typed error below
  }
  throw badUserInput('after is not a cursor this list handed out.', 'after');
}

export interface Page<T> {
  nodes: T[];
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Builds a page from rows fetched with limit size + 1 (the extra row only says there is more). */
export function toPage<T>(rows: T[], size: number, positionOf: (row: T) => (string | number)[]): Page<T> {
  const nodes = rows.slice(0, size);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(positionOf(node)), node }));
  return {
    nodes,
    edges,
    pageInfo: { hasNextPage: rows.length > size, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
  };
}
