import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { Catalogs } from '../i18n/catalog.js';
import {
  DEFAULT_UI_LANGUAGE,
  isUiLanguage,
  UI_LANGUAGES,
  type UiLanguage,
} from '../i18n/languages.js';
import { LANGUAGE_COOKIE, languageFromCookie, negotiateUiLanguage } from '../i18n/negotiation.js';
import { PageContext } from '../views/context.js';
import { renderDocument, type Alternate } from '../views/layout.js';
import { renderTextDocument } from '../views/text-layout.js';
import { saverFromCookie, SAVER_COOKIE } from './data-saver.js';
import { notFound } from './errors.js';
import type { PageCache } from './page-cache.js';
import type { Effort } from './compression.js';
import { RenderedPage, sendPage } from './page.js';

export interface PageContent {
  title: string;
  description?: string | undefined;
  body: VNode;
  /** 'ui': the same page in each interface language; or explicit alternates. */
  alternates?: 'ui' | Alternate[];
  /** schema.org data about the page, written into <head> as application/ld+json. */
  jsonLd?: object | undefined;
  /** 'text': a bare document without stylesheet or site navigation (text-only reading). */
  layout?: 'text' | undefined;
}

/** Who is signed in, for the header of signed-in pages. */
export interface SignedIn {
  displayName: string;
  csrfToken: string;
}

/** Splits "/ar/library?x=1" into the interface language and the rest ("/library?x=1"). */
export function splitLanguagePrefix(url: string): { lang: string; rest: string } {
  const match = /^\/([^/?#]*)(.*)$/.exec(url);
  return { lang: match?.[1] ?? '', rest: match?.[2] || '/' };
}

/** The language to speak to a request that has no valid prefix (404s, bad URLs). */
export function readerLanguage(request: FastifyRequest): UiLanguage {
  const { lang } = splitLanguagePrefix(request.url);
  if (isUiLanguage(lang)) return lang;
  return (
    languageFromCookie(request.cookies?.[LANGUAGE_COOKIE]) ??
    negotiateUiLanguage(request.headers['accept-language'])
  );
}

/**
 * Renders public pages: checks the language prefix, serves from the page cache when it can,
 * otherwise builds the page, renders it to HTML once, caches it and sends it compressed.
 */
export class PageRenderer {
  constructor(
    private readonly catalogs: Catalogs,
    private readonly cache: PageCache,
    private readonly maxAgeSeconds: number,
  ) {}

  async render(
    request: FastifyRequest,
    reply: FastifyReply,
    build: (ctx: PageContext) => Promise<PageContent>,
  ): Promise<FastifyReply> {
    const { lang, rest } = splitLanguagePrefix(request.url);
    if (!isUiLanguage(lang)) throw notFound('unknown interface language');
    // Data-saver pages are cached apart: a normal reader never gets one from the cache.
    const saver = saverFromCookie(request.cookies?.[SAVER_COOKIE]);
    const key = saver ? `${request.url}\u0000saver` : request.url;
    const cached = await this.cache.get(key);
    if (cached) return sendPage(request, reply, cached, this.maxAgeSeconds, false, saver);
    const ctx = new PageContext(lang, this.catalogs, rest, saver);
    const content = await build(ctx);
    const page = this.toPage(ctx, content, 200, true, this.cache.enabled ? 'small' : 'fast');
    await this.cache.set(key, page);
    return sendPage(request, reply, page, this.maxAgeSeconds, false, saver);
  }

  /** An error page in the reader's language; never cached. */
  renderStatus(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    build: (ctx: PageContext) => Omit<PageContent, 'alternates'>,
  ): FastifyReply {
    const lang = readerLanguage(request) ?? DEFAULT_UI_LANGUAGE;
    const { rest } = splitLanguagePrefix(request.url);
    const ctx = new PageContext(
      lang,
      this.catalogs,
      isUiLanguage(splitLanguagePrefix(request.url).lang) ? rest : '/',
    );
    return sendPage(
      request,
      reply,
      this.toPage(ctx, build(ctx), status, false),
      this.maxAgeSeconds,
    );
  }

  /**
   * A signed-in page (or the sign-in form): never cached here, `Cache-Control: no-store` so that
   * a shared or seized device keeps no copy.
   */
  async renderPrivate(
    request: FastifyRequest,
    reply: FastifyReply,
    build: (ctx: PageContext) => PageContent | Promise<PageContent>,
    options: { status?: number; signedIn?: SignedIn | undefined } = {},
  ): Promise<FastifyReply> {
    const { lang, rest } = splitLanguagePrefix(request.url);
    if (!isUiLanguage(lang)) throw notFound('unknown interface language');
    const ctx = new PageContext(lang, this.catalogs, rest);
    const content = await build(ctx);
    const page = this.toPage(ctx, content, options.status ?? 200, false, 'fast', options.signedIn);
    return sendPage(request, reply, page, 0, true);
  }

  private toPage(
    ctx: PageContext,
    content: PageContent,
    status: number,
    cacheable: boolean,
    effort: Effort = 'fast',
    signedIn?: SignedIn,
  ): RenderedPage {
    const alternates =
      content.alternates === 'ui'
        ? UI_LANGUAGES.map((l) => ({ hreflang: l, href: `/${l}${ctx.currentPath}` }))
        : content.alternates;
    const html = (content.layout === 'text' ? renderTextDocument : renderDocument)({
      ctx,
      title: content.title,
      description: content.description,
      alternates,
      signedIn,
      jsonLd: content.jsonLd,
      children: content.body,
    });
    return new RenderedPage(status, Buffer.from(html), ctx.lang, cacheable, effort);
  }
}
