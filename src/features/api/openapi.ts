/**
 * The OpenAPI 3.1 document of the JSON API, made from the same route list and TypeBox schemas
 * that register the routes: a route cannot exist without being described, nor be described
 * with other parameters than those it validates.
 */
import type { TSchema } from 'typebox';
import { API_PREFIX } from './errors.js';
import { ApiError } from './schemas.js';

export interface ApiOperation {
  /** Path below the prefix in Fastify's syntax (`/works/:slug`); '' is the prefix itself. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  params?: TSchema;
  querystring?: TSchema;
  /** The 200 response: a JSON schema, or a binary media type. */
  response: TSchema | { binary: string };
  /** Whether the route answers 404 for an unknown slug or id. */
  notFound?: boolean;
}

/** Plain JSON of a TypeBox schema (its own markers are not enumerable). */
const plain = (schema: TSchema): Record<string, unknown> =>
  JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;

/** `/works/:slug` -> `/api/v1/works/{slug}`. */
export function openApiPath(path: string): string {
  return `${API_PREFIX}${path.replace(/:([A-Za-z_]+)/g, '{$1}')}`;
}

function parameters(schema: TSchema | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const object = plain(schema) as {
    properties?: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === 'path' || (object.required ?? []).includes(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

const HEADERS = {
  ETag: {
    description: 'Weak validator of the body: send it back in If-None-Match to get a 304.',
    schema: { type: 'string' },
  },
  'Cache-Control': { description: '`public, max-age=60`', schema: { type: 'string' } },
  'Access-Control-Allow-Origin': { description: '`*`', schema: { type: 'string' } },
};

export function openApiDocument(operations: readonly ApiOperation[], baseUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const responses: Record<string, unknown> = {
      '200': {
        description: 'OK',
        headers: HEADERS,
        content:
          'binary' in op.response
            ? {
                [op.response.binary]: {
                  schema: { type: 'string', contentMediaType: op.response.binary },
                },
              }
            : { 'application/json': { schema: plain(op.response) } },
      },
      '304': { description: 'Not modified (If-None-Match matched the ETag).' },
      '400': { $ref: '#/components/responses/BadRequest' },
      '503': { $ref: '#/components/responses/Unavailable' },
    };
    if (op.notFound) responses['404'] = { $ref: '#/components/responses/NotFound' };
    paths[openApiPath(op.path)] = {
      get: {
        operationId: op.operationId,
        summary: op.summary,
        ...(op.description ? { description: op.description } : {}),
        parameters: [
          ...parameters(op.params, 'path'),
          ...parameters(op.querystring, 'query'),
          {
            name: 'If-None-Match',
            in: 'header',
            required: false,
            description: 'An ETag from an earlier response.',
            schema: { type: 'string' },
          },
        ],
        responses,
      },
    };
  }
  const error = (description: string) => ({
    description,
    headers: { 'Access-Control-Allow-Origin': HEADERS['Access-Control-Allow-Origin'] },
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  });
  return {
    openapi: '3.1.0',
    info: {
      title: 'Learning Center API',
      version: '1.0.0',
      description:
        'Read-only, public data of the library (works, editions, collections) and of public ' +
        'events, for partners’ own sites and apps. No authentication, no cookies; every answer ' +
        'may be cached for a minute and carries an ETag. Texts that exist in several languages ' +
        'come as objects keyed by BCP 47 tag. Errors are `{"error": {"code", "message"}}`. ' +
        'No personal data of participants is ever part of an answer.',
      license: { name: 'AGPL-3.0-or-later', identifier: 'AGPL-3.0-or-later' },
    },
    servers: [{ url: baseUrl }],
    paths,
    components: {
      schemas: { Error: plain(ApiError) },
      responses: {
        BadRequest: error('A parameter is missing, malformed or out of range.'),
        NotFound: error('Nothing public has this slug or id.'),
        Unavailable: error(
          'The database or the file storage is briefly out of reach; Retry-After says when to try again.',
        ),
      },
    },
  };
}
