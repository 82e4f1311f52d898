import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/app.js';

/** The offline OAI-PMH schemas: the envelope plus oai_dc and oai-identifier (see their README). */
const SCHEMAS = path.resolve(REPO_ROOT, '../shared/schemas/oai-pmh');

export interface Validation {
  status: number | null;
  output: string;
}

/** xmllint against OAI-PMH.xsd with its payload schemas, offline; status 0 means valid. */
export function validate(xml: string): Validation {
  const run = spawnSync(
    'xmllint',
    ['--nonet', '--noout', '--schema', path.join(SCHEMAS, 'oai-pmh-response.xsd'), '-'],
    {
      input: xml,
      encoding: 'utf8',
      env: { ...process.env, XML_CATALOG_FILES: path.join(SCHEMAS, 'catalog.xml') },
    },
  );
  return { status: run.status, output: `${run.stdout}${run.stderr}`.trim() };
}

/** A parsed element: enough of XML for assertions on documents xmllint has already accepted. */
export interface Node {
  name: string;
  attrs: Record<string, string>;
  children: Node[];
  text: string;
}

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescape(value: string): string {
  return value.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) =>
    e.startsWith('#x')
      ? String.fromCodePoint(parseInt(e.slice(2), 16))
      : e.startsWith('#')
        ? String.fromCodePoint(parseInt(e.slice(1), 10))
        : ENTITY[e]!,
  );
}

export function parseXml(xml: string): Node {
  const root: Node = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: Node[] = [root];
  const token =
    /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<(\/?)([^\s/>]+)((?:\s+[^\s=]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
  for (const m of xml.matchAll(token)) {
    const top = stack[stack.length - 1]!;
    if (m[5] !== undefined) {
      top.text += unescape(m[5]);
    } else if (m[2] !== undefined) {
      if (m[1]) {
        stack.pop();
        continue;
      }
      const attrs: Record<string, string> = {};
      for (const a of (m[3] ?? '').matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        attrs[a[1]!] = unescape(a[2] ?? a[3] ?? '');
      }
      const node: Node = { name: m[2], attrs, children: [], text: '' };
      top.children.push(node);
      if (!m[4]) stack.push(node);
    }
  }
  return root.children[0]!;
}

/** Every descendant element with this name (prefix included, e.g. `dc:title`). */
export function all(node: Node, name: string): Node[] {
  const found: Node[] = [];
  const walk = (n: Node) => {
    for (const c of n.children) {
      if (c.name === name) found.push(c);
      walk(c);
    }
  };
  walk(node);
  return found;
}

export function first(node: Node, name: string): Node | undefined {
  return all(node, name)[0];
}

export interface OaiResponse {
  status: number;
  contentType: string | null;
  cacheControl: string | null;
  xml: string;
  doc: Node;
  validation: Validation;
}

/** One OAI-PMH request, by GET (query string) or POST (form body), validated and parsed. */
export async function oai(
  baseUrl: string,
  query: string,
  method: 'GET' | 'POST' = 'GET',
): Promise<OaiResponse> {
  const response =
    method === 'GET'
      ? await fetch(`${baseUrl}/oai${query === '' ? '' : `?${query}`}`)
      : await fetch(`${baseUrl}/oai`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: query,
        });
  const xml = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    cacheControl: response.headers.get('cache-control'),
    xml,
    doc: parseXml(xml),
    validation: validate(xml),
  };
}

/** The error codes of a response (empty when it is not an error). */
export function errorCodes(response: OaiResponse): string[] {
  return all(response.doc, 'error').map((e) => e.attrs.code!);
}
