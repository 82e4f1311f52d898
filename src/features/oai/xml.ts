/** Writing the XML of OAI-PMH responses by hand: escaping, and the envelope every response shares. */

/** Characters XML 1.0 forbids even when escaped: C0 controls, lone surrogates, U+FFFE/U+FFFF. */
const NOT_XML =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text or attribute value, escaped; characters XML cannot carry at all are dropped. */
export function esc(value: string): string {
  return value.replace(NOT_XML, '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** One element with escaped attributes; `children` is XML already (use text() for plain text). */
export function el(
  name: string,
  attributes: Record<string, string | number | undefined>,
  children?: string,
): string {
  let attrs = '';
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== undefined) attrs += ` ${key}="${esc(String(value))}"`;
  }
  return children === undefined || children === ''
    ? `<${name}${attrs}/>`
    : `<${name}${attrs}>${children}</${name}>`;
}

/** An element holding plain text. */
export function text(
  name: string,
  value: string,
  attributes: Record<string, string | undefined> = {},
): string {
  return el(name, attributes, esc(value));
}

export const OAI_NS = 'http://www.openarchives.org/OAI/2.0/';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
export const OAI_DC_NS = 'http://www.openarchives.org/OAI/2.0/oai_dc/';
export const OAI_DC_SCHEMA = 'http://www.openarchives.org/OAI/2.0/oai_dc.xsd';
export const DC_NS = 'http://purl.org/dc/elements/1.1/';

/** The `request` element's attributes; none at all after badVerb or badArgument. */
export type RequestEcho = Partial<
  Record<
    'verb' | 'identifier' | 'metadataPrefix' | 'from' | 'until' | 'set' | 'resumptionToken',
    string
  >
>;

/** The whole response: responseDate, request, then the verb's element or the errors. */
export function envelope(responseDate: string, baseUrl: string, echo: RequestEcho, body: string) {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<OAI-PMH xmlns="${OAI_NS}" xmlns:xsi="${XSI}" ` +
    `xsi:schemaLocation="${OAI_NS} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">\n` +
    `${text('responseDate', responseDate)}\n` +
    `${el('request', echo, esc(baseUrl))}\n` +
    `${body}\n</OAI-PMH>\n`
  );
}

/** `xsi:schemaLocation` and namespaces of an embedded oai_dc or oai-identifier document. */
export function rootAttributes(ns: string, schema: string, declarations: Record<string, string>) {
  return { ...declarations, 'xmlns:xsi': XSI, 'xsi:schemaLocation': `${ns} ${schema}` };
}
