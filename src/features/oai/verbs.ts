import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import { nowDatestamp, OaiError, parseUtc, type OaiRequest } from './arguments.js';
import { header, identifierOf, oaiDc, editionIdOf, type Site } from './metadata.js';
import {
  compareItems,
  compareKeys,
  inSet,
  listItems,
  listSets,
  recordDetails,
  type Item,
} from './repository.js';
import { decodeToken, encodeToken, type ListVerb, type TokenState } from './token.js';
import { el, OAI_DC_NS, OAI_DC_SCHEMA, DC_NS, rootAttributes, text } from './xml.js';

/** The one metadata format: unqualified Dublin Core, which every OAI-PMH repository must offer. */
const FORMATS = [
  { metadataPrefix: 'oai_dc', schema: OAI_DC_SCHEMA, metadataNamespace: OAI_DC_NS },
] as const;

const OAI_IDENTIFIER_NS = 'http://www.openarchives.org/OAI/2.0/oai-identifier';
/** repositoryIdentifierType of oai-identifier.xsd: a domain name (or dotted address). */
const REPOSITORY_IDENTIFIER = /^[a-zA-Z0-9][a-zA-Z0-9-]*(\.[a-zA-Z0-9][a-zA-Z0-9-]*)+$/;

export const REPOSITORY_NAME = 'Learning Center library';

export interface VerbContext {
  db: Kysely<DB>;
  site: Site;
  /** The baseURL: the site's address + /oai. */
  baseUrl: string;
  pageSize: number;
  now: Date;
}

/**
 * The contact the protocol requires when ADMIN_EMAIL is not configured: the RFC 2142
 * mailbox of a web service, webmaster@<host>; a host without a dot (localhost) gets the reserved
 * `.invalid` suffix, so that the value is well formed but plainly not deliverable.
 */
export function adminEmail(host: string): string {
  return /\S+@(\S+\.)+\S+/.test(`webmaster@${host}`)
    ? `webmaster@${host}`
    : `webmaster@${host}.invalid`;
}

export async function runVerb(ctx: VerbContext, request: OaiRequest): Promise<string> {
  switch (request.verb) {
    case 'Identify':
      return identify(ctx);
    case 'ListMetadataFormats':
      return listMetadataFormats(ctx, request.args.identifier);
    case 'ListSets':
      return listSetsVerb(ctx, request.args.resumptionToken);
    case 'GetRecord':
      return getRecord(ctx, request.args.identifier!, request.args.metadataPrefix!);
    case 'ListIdentifiers':
    case 'ListRecords':
      return list(ctx, request.verb, request.args);
  }
}

async function identify(ctx: VerbContext): Promise<string> {
  const items = await listItems(ctx.db);
  const earliest = items.reduce<string | undefined>(
    (min, i) => (min === undefined || i.datestamp < min ? i.datestamp : min),
    undefined,
  );
  const parts = [
    text('repositoryName', REPOSITORY_NAME),
    text('baseURL', ctx.baseUrl),
    text('protocolVersion', '2.0'),
    text('adminEmail', ctx.site.adminEmail ?? adminEmail(ctx.site.host)),
    text('earliestDatestamp', earliest ?? nowDatestamp(ctx.now)),
    // Withdrawn editions leave no trace in the database (their published_at is cleared), so
    // the repository keeps no record of deletions: harvesters learn of them by a full harvest.
    text('deletedRecord', 'no'),
    text('granularity', 'YYYY-MM-DDThh:mm:ssZ'),
  ];
  if (REPOSITORY_IDENTIFIER.test(ctx.site.host)) {
    const sample = items[0]?.id ?? '00000000-0000-4000-8000-000000000000';
    parts.push(
      el(
        'description',
        {},
        el(
          'oai-identifier',
          rootAttributes(OAI_IDENTIFIER_NS, `${OAI_IDENTIFIER_NS}.xsd`, {
            xmlns: OAI_IDENTIFIER_NS,
          }),
          text('scheme', 'oai') +
            text('repositoryIdentifier', ctx.site.host) +
            text('delimiter', ':') +
            text('sampleIdentifier', identifierOf(ctx.site, sample)),
        ),
      ),
    );
  }
  return el('Identify', {}, parts.join('\n'));
}

async function findItem(
  ctx: VerbContext,
  identifier: string,
): Promise<{ item: Item; items: Item[] }> {
  const id = editionIdOf(ctx.site, identifier);
  const items = id === undefined ? [] : await listItems(ctx.db);
  const item = items.find((i) => i.id === id);
  if (!item) {
    throw new OaiError('idDoesNotExist', 'No published edition has this identifier here.');
  }
  return { item, items };
}

function checkFormat(metadataPrefix: string): void {
  if (!FORMATS.some((f) => f.metadataPrefix === metadataPrefix)) {
    throw new OaiError(
      'cannotDisseminateFormat',
      'This repository disseminates only the metadata format oai_dc.',
    );
  }
}

async function listMetadataFormats(ctx: VerbContext, identifier: string | undefined) {
  // Every item is available in every format, so an identifier only needs to exist.
  if (identifier !== undefined) await findItem(ctx, identifier);
  return el(
    'ListMetadataFormats',
    {},
    FORMATS.map((f) =>
      el(
        'metadataFormat',
        {},
        text('metadataPrefix', f.metadataPrefix) +
          text('schema', f.schema) +
          text('metadataNamespace', f.metadataNamespace),
      ),
    ).join('\n'),
  );
}

async function listSetsVerb(ctx: VerbContext, resumptionToken: string | undefined) {
  // The whole set list fits in one response, so no resumptionToken is ever issued for it.
  if (resumptionToken !== undefined) {
    throw new OaiError('badResumptionToken', 'ListSets never issues resumption tokens.');
  }
  const sets = await listSets(ctx.db, await listItems(ctx.db));
  return el(
    'ListSets',
    {},
    sets
      .map((s) => {
        const description =
          s.titles && s.titles.length > 0
            ? el(
                'setDescription',
                {},
                el(
                  'oai_dc:dc',
                  rootAttributes(OAI_DC_NS, OAI_DC_SCHEMA, {
                    'xmlns:oai_dc': OAI_DC_NS,
                    'xmlns:dc': DC_NS,
                  }),
                  s.titles
                    .map(
                      (t) =>
                        text('dc:title', t.title, { 'xml:lang': t.language }) +
                        (t.description
                          ? text('dc:description', t.description, { 'xml:lang': t.language })
                          : ''),
                    )
                    .join(''),
                ),
              )
            : '';
        return el('set', {}, text('setSpec', s.spec) + text('setName', s.name) + description);
      })
      .join('\n'),
  );
}

function record(ctx: VerbContext, item: Item, items: Item[], details: Parameters<typeof oaiDc>[1]) {
  const siblings = items
    .filter((i) => i.workId === item.workId)
    .sort((a, b) => (a.language < b.language ? -1 : a.language > b.language ? 1 : 0));
  return el(
    'record',
    {},
    header(ctx.site, item) + el('metadata', {}, oaiDc(ctx.site, details, siblings)),
  );
}

async function getRecord(ctx: VerbContext, identifier: string, metadataPrefix: string) {
  const { item, items } = await findItem(ctx, identifier);
  checkFormat(metadataPrefix);
  const details = (await recordDetails(ctx.db, [item.id])).get(item.id);
  if (!details) throw new OaiError('idDoesNotExist', 'This edition was just withdrawn.');
  return el('GetRecord', {}, record(ctx, item, items, details));
}

async function list(ctx: VerbContext, verb: ListVerb, args: OaiRequest['args']): Promise<string> {
  const resumed = args.resumptionToken !== undefined;
  const state: Omit<TokenState, 'after'> & { after?: [string, string] } = resumed
    ? decodeToken(args.resumptionToken!, verb)
    : {
        verb,
        metadataPrefix: args.metadataPrefix!,
        from: args.from,
        until: args.until,
        set: args.set,
      };
  checkFormat(state.metadataPrefix);
  const from = state.from === undefined ? undefined : parseUtc(state.from, 'from').start;
  const until = state.until === undefined ? undefined : parseUtc(state.until, 'until').end;
  const items = await listItems(ctx.db);
  const matching = items
    .filter(
      (i) =>
        (from === undefined || i.datestamp >= from) &&
        (until === undefined || i.datestamp <= until) &&
        (state.set === undefined || inSet(i, state.set)),
    )
    .sort(compareItems);
  const after = state.after;
  const start =
    after === undefined
      ? 0
      : matching.filter((i) => compareKeys([i.datestamp, i.id], after) <= 0).length;
  let page = matching.slice(start, start + ctx.pageSize);
  const last = page[page.length - 1];
  const more = start + page.length < matching.length;

  let entries: string[];
  if (verb === 'ListRecords') {
    const details = await recordDetails(
      ctx.db,
      page.map((i) => i.id),
    );
    // An edition withdrawn between the two reads is left out rather than sent half-described.
    page = page.filter((i) => details.has(i.id));
    entries = page.map((i) => record(ctx, i, items, details.get(i.id)!));
  } else {
    entries = page.map((i) => header(ctx.site, i));
  }
  if (entries.length === 0) {
    throw new OaiError(
      'noRecordsMatch',
      resumed
        ? 'No records remain in this list: they were withdrawn during the harvest.'
        : 'No records match the arguments from, until, set and metadataPrefix.',
    );
  }
  const sizes = { completeListSize: matching.length, cursor: start };
  if (more && last) {
    const token = encodeToken({ ...state, verb, after: [last.datestamp, last.id] });
    entries.push(el('resumptionToken', sizes, token));
  } else if (resumed) {
    // The last part of an incomplete list carries an empty token (section 3.5).
    entries.push(el('resumptionToken', sizes));
  }
  return el(verb, {}, entries.join('\n'));
}
