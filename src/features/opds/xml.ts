/** A small XML writer: every text and attribute goes through `escape`, nothing is raw by accident. */

/** Characters XML 1.0 does not allow at all (controls, lone surrogates, U+FFFE/U+FFFF). */
// Matching control characters is the point here.
const NOT_XML =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escape(text: string): string {
  return text
    .replace(NOT_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export type Attributes = Record<string, string | number | undefined>;

function attributes(attrs: Attributes): string {
  return Object.entries(attrs)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${escape(String(value))}"`)
    .join('');
}

/** An element with text content (escaped), or empty when `text` is undefined. */
export function text(name: string, attrs: Attributes, content: string | undefined): string {
  if (content === undefined) return `<${name}${attributes(attrs)}/>`;
  return `<${name}${attributes(attrs)}>${escape(content)}</${name}>`;
}

/** An element holding other elements, already written by these functions. */
export function parent(name: string, attrs: Attributes, children: string[]): string {
  // No re-indentation: it would change the text of multi-line summaries.
  return `<${name}${attributes(attrs)}>\n${children.join('\n')}\n</${name}>`;
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
