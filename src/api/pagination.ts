import type { FastifyRequest } from 'fastify';

export const DEFAULT_LIMIT = 20;

export interface Page {
  limit: number;
  offset: number;
}

export function pageOf(query: { limit?: number; offset?: number }): Page {
  return { limit: query.limit ?? DEFAULT_LIMIT, offset: query.offset ?? 0 };
}

/** DRF LimitOffsetPagination: `{count, next, previous, results}` with absolute next/previous URLs. */
export function paginate<T>(request: FastifyRequest, publicUrl: string, page: Page, count: number, results: T[]) {
  const link = (offset: number | null) => {
    if (offset === null) return null;
    const url = new URL(request.url, `${publicUrl}/`);
    url.searchParams.set('limit', String(page.limit));
    if (offset > 0) url.searchParams.set('offset', String(offset));
    else url.searchParams.delete('offset');
    return `${publicUrl}${url.pathname}${url.search}`;
  };
  const next = page.offset + page.limit < count ? page.offset + page.limit : null;
  const previous = page.offset > 0 ? Math.max(0, page.offset - page.limit) : null;
  return { count, next: link(next), previous: link(previous), results };
}
