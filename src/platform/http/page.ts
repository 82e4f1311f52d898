import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { compress, negotiateEncoding, type Effort, type Encoding } from './compression.js';

/**
 * A rendered HTML page with its compressed forms computed on first use. Pages are immutable once
 * rendered, so the same object can sit in the page cache and serve every later request.
 */
export class RenderedPage {
  readonly etag: string;
  private readonly encoded = new Map<Encoding, Buffer>();

  constructor(
    readonly status: number,
    readonly body: Buffer,
    readonly language: string,
    /** Public pages may be stored by browsers and proxies; error pages are revalidated. */
    readonly cacheable: boolean,
    /** How hard to compress: harder when the page cache will reuse the result. */
    private readonly effort: Effort = 'fast',
  ) {
    this.etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    this.encoded.set('identity', body);
  }

  bodyFor(encoding: Encoding): Buffer {
    let data = this.encoded.get(encoding);
    if (!data) {
      data = compress(this.body, encoding, this.effort);
      this.encoded.set(encoding, data);
    }
    return data;
  }
}

export function sendPage(
  request: FastifyRequest,
  reply: FastifyReply,
  page: RenderedPage,
  maxAgeSeconds: number,
  /** Signed-in pages: never stored by a browser, a proxy or a shared device. */
  isPrivate = false,
  /**
   * Set on pages that change with the data-saver cookie: they vary on Cookie (a browser that
   * turned saving on does not reuse its normal copy) and saver copies are never shared.
   */
  saver?: boolean,
): FastifyReply {
  reply.header('content-type', 'text/html; charset=utf-8');
  reply.header('content-language', page.language);
  reply.header('vary', saver === undefined ? 'Accept-Encoding' : 'Accept-Encoding, Cookie');
  reply.header('etag', page.etag);
  reply.header(
    'cache-control',
    isPrivate
      ? 'no-store'
      : page.cacheable && page.status === 200
        ? `${saver ? 'private' : 'public'}, max-age=${maxAgeSeconds}, stale-while-revalidate=${maxAgeSeconds * 5}`
        : 'no-cache',
  );
  if (
    !isPrivate &&
    page.status === 200 &&
    ifNoneMatchHits(request.headers['if-none-match'], page.etag)
  ) {
    return reply.code(304).send();
  }
  const encoding = negotiateEncoding(request.raw);
  if (encoding !== 'identity') reply.header('content-encoding', encoding);
  return reply.code(page.status).send(request.method === 'HEAD' ? '' : page.bodyFor(encoding));
}

function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
}
