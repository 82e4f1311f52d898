import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { publicBaseUrl } from '../../platform/http/public-url.js';
import type { ReachDeps } from '../reach-deps.js';
import { checkRequest, nowDatestamp, OaiError, parsePairs } from './arguments.js';
import type { Site } from './metadata.js';
import { runVerb } from './verbs.js';
import { el, envelope, esc, type RequestEcho } from './xml.js';

export interface OaiOptions {
  /** Records or headers per list response (tests use a small page to exercise tokens). */
  pageSize?: number;
}

/** Harvesters ask for a few hundred records at a time; 100 keeps each response small on 2G. */
export const DEFAULT_PAGE_SIZE = 100;

/** A body that is not a form: POST requests must be application/x-www-form-urlencoded. */
const NOT_A_FORM = Symbol('not a form');

/**
 * OAI-PMH 2.0 at /oai, GET and POST. Every answer, errors included, is a 200 with an OAI-PMH
 * document (section 3.6: errors are reported in the protocol, not by HTTP status).
 */
export function registerOaiRoutes(app: FastifyInstance, deps: ReachDeps, options: OaiOptions = {}) {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  // Encapsulated, so that the raw form body reaches us unparsed: repeated arguments must be seen
  // as repeated (badArgument), not merged by a general-purpose parser.
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_request, body, done) => done(null, body),
    );
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, _body, done) =>
      done(null, NOT_A_FORM),
    );
    const handler = (request: FastifyRequest, reply: FastifyReply) =>
      answer(request, reply, deps, pageSize);
    scope.get('/oai', handler);
    scope.post('/oai', handler);
  });
}

async function answer(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: ReachDeps,
  pageSize: number,
) {
  const now = new Date();
  const base = publicBaseUrl(request, deps.publicUrl);
  // An IPv6 literal cannot stand in an oai: URI as it is ([::1]): its colons become dashes.
  const hostname = new URL(base).hostname;
  const host = hostname.startsWith('[') ? hostname.slice(1, -1).replace(/:/g, '-') : hostname;
  const site: Site = { base, host, adminEmail: deps.adminEmail };
  const baseUrl = `${base}/oai`;
  let echo: RequestEcho = {};
  let body: string;
  try {
    const oaiRequest = checkRequest(argumentsOf(request));
    echo = { verb: oaiRequest.verb, ...oaiRequest.args };
    body = await runVerb({ db: deps.db, site, baseUrl, pageSize, now }, oaiRequest);
  } catch (error) {
    if (!(error instanceof OaiError)) throw error;
    // After badVerb or badArgument the request element carries no attributes (section 3.2).
    if (error.code === 'badVerb' || error.code === 'badArgument') echo = {};
    body = el('error', { code: error.code }, esc(error.message));
  }
  return reply
    .header('content-type', 'text/xml; charset=utf-8')
    .header('cache-control', 'public, max-age=60')
    .send(envelope(nowDatestamp(now), baseUrl, echo, body));
}

function argumentsOf(request: FastifyRequest): [string, string][] {
  if (request.method === 'POST') {
    if (request.body === NOT_A_FORM) {
      throw new OaiError(
        'badArgument',
        'POST requests must send their arguments as application/x-www-form-urlencoded.',
      );
    }
    return parsePairs(typeof request.body === 'string' ? request.body : '');
  }
  const url = request.raw.url ?? '';
  const query = url.indexOf('?');
  return parsePairs(query === -1 ? '' : url.slice(query + 1));
}
