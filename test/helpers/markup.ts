import assert from 'node:assert/strict';
import { parse, type DefaultTreeAdapterMap } from 'parse5';

type Node = DefaultTreeAdapterMap['node'];
export type Element = DefaultTreeAdapterMap['element'];

/** Every element of a parsed document, template contents included. */
export function elements(html: string): Element[] {
  const out: Element[] = [];
  const walk = (node: Node) => {
    if ('tagName' in node) out.push(node as Element);
    for (const child of 'childNodes' in node ? node.childNodes : []) walk(child as Node);
    if ('content' in node && node.content) walk(node.content as Node);
  };
  walk(parse(html) as unknown as Node);
  return out;
}

/**
 * No markup that runs came from data: no <svg>, no on* attribute, no javascript: URL, and no
 * <script> but the ones the page itself names in `allowedScripts` (our own, same-origin files).
 */
export function assertNoActiveMarkup(html: string, label: string, allowedScripts: string[] = []) {
  for (const el of elements(html)) {
    if (el.tagName === 'script') {
      const src = el.attrs.find((a) => a.name === 'src')?.value;
      // A JSON-LD data block never runs; it must hold nothing but JSON (no breakout).
      if (el.attrs.some((a) => a.name === 'type' && a.value === 'application/ld+json') && !src) {
        const text = el.childNodes.map((c) => ('value' in c ? c.value : '')).join('');
        assert.doesNotThrow(() => JSON.parse(text), `${label}: JSON-LD is not JSON`);
        continue;
      }
      assert.ok(src && allowedScripts.includes(src), `${label}: <script ${src ?? 'inline'}>`);
    }
    assert.notEqual(el.tagName, 'svg', `${label}: <svg>`);
    for (const attr of el.attrs) {
      assert.ok(!attr.name.startsWith('on'), `${label}: ${attr.name} on <${el.tagName}>`);
      assert.ok(!/^\s*javascript:/i.test(attr.value), `${label}: ${attr.name}=${attr.value}`);
    }
  }
}
