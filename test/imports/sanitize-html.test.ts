import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  MAX_SECTION_BYTES,
  prepareHtmlEdition,
  sanitizeDocument,
  splitSections,
  textOf,
  topLevelBlocks,
} from '../../src/features/imports/sanitize-html.js';

/** Nothing that can run script or load anything may survive. */
function assertInert(html: string): void {
  assert.doesNotMatch(html, /<script/i, html);
  assert.doesNotMatch(
    html,
    /<(svg|math|img|iframe|object|embed|style|link|meta|base|form|input|button|template)\b/i,
    html,
  );
  assert.doesNotMatch(html, /\son[a-z]+\s*=/i, html);
  assert.doesNotMatch(html, /javascript:|vbscript:|data:/i, html);
  assert.doesNotMatch(html, /\sstyle\s*=/i, html);
  assert.doesNotMatch(html, /\s(src|srcset|id|class|formaction|xlink:href)\s*=/i, html);
}

describe('sanitizeDocument: XSS payloads in Arabic and Persian text', () => {
  // [name, payload, whether no script text may remain even as visible text]
  const cases: [string, string, boolean?][] = [
    ['script', '<p lang="ar">مرحبا <script>alert("xss")</script>بالعالم</p>'],
    // The classic split tag leaves the harmless visible text "ipt>alert(1)".
    [
      'script, upper case and nested',
      '<p>سلام<SCRIPT SRC=//evil.example/x.js></SCRIPT>دنیا</p><scr<script>ipt>alert(1)</script>',
      false,
    ],
    ['img onerror', '<p dir="rtl">حقوق بشر <img src=x onerror="alert(1)"> برای همه</p>'],
    [
      'svg onload',
      '<p>اعلامیه</p><svg onload=alert(1)><circle r="4"/><script>alert(2)</script></svg><p>جهانی</p>',
    ],
    [
      'javascript: href',
      '<p>پیوند: <a href="javascript:alert(document.cookie)">اینجا کلیک کنید</a></p>',
    ],
    [
      'javascript: href, obfuscated',
      '<a href=" JaVaScRiPt:alert(1)">١</a><a href="java&#x09;script:alert(1)">٢</a><a href="&#106;avascript:alert(1)">٣</a>',
    ],
    [
      'data: and protocol-relative href',
      '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">داده</a><a href="//evil.example">نسبی</a>',
    ],
    [
      'style element and attribute',
      '<style>body{background:url(javascript:alert(1))}</style><p style="color:red;background:url(x)">متن فارسی</p>',
    ],
    [
      'event handlers on allowed tags',
      '<h2 onclick="alert(1)" onmouseover="alert(2)">المادة ١</h2><p onfocus=alert(1) tabindex=0>نص</p>',
    ],
    [
      'iframe, object, embed, form',
      '<iframe src="https://evil.example"></iframe><object data="x.swf"></object><embed src="x"><form action="https://evil.example"><input name="q"><button formaction="javascript:alert(1)">ارسال</button></form><p>پایان</p>',
    ],
    [
      'math and template',
      '<math><mtext><script>alert(1)</script></mtext></math><template><img src=x onerror=alert(1)></template><p>عربي</p>',
    ],
    [
      'meta refresh, base and link',
      '<meta http-equiv="refresh" content="0;url=javascript:alert(1)"><base href="javascript:alert(1)//"><link rel=stylesheet href="x.css"><p>متن</p>',
    ],
    [
      'attribute breaking out',
      '<p title="&quot;><script>alert(1)</script>">نص</p><p lang="fa&quot; onmouseover=&quot;alert(1)">x</p>',
    ],
    [
      'comment and CDATA tricks',
      '<!--<script>alert(1)</script>--><p>سلام</p><![CDATA[<script>alert(1)</script>]]>',
    ],
    [
      'noscript and textarea',
      '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript><textarea><script>alert(1)</script></textarea><p>پایان</p>',
    ],
  ];
  for (const [name, payload, noText = true] of cases) {
    it(`neutralises ${name}`, () => {
      const out = sanitizeDocument(payload);
      assertInert(out);
      if (noText) assert.doesNotMatch(textOf(out), /alert\(/, `script text leaked: ${out}`);
    });
  }

  it('keeps the text, links to the web, and lang/dir attributes', () => {
    const out = sanitizeDocument(
      '<p lang="fa" dir="rtl" class="x" id="y">می\u200cخواهم <a href="https://ohchr.org/fa" target="_blank">این را</a> بخوانم</p>' +
        '<p dir="evil" lang="a b">x</p><p><a href="mailto:info@example.org">نامه</a> <a href="/relative">نسبی</a></p>',
    );
    assert.match(
      out,
      /<p lang="fa" dir="rtl">می\u200cخواهم <a href="https:\/\/ohchr.org\/fa">این را<\/a> بخوانم<\/p>/,
    );
    assert.match(out, /<p>x<\/p>/, 'an invalid dir and lang are dropped');
    assert.match(out, /<a href="mailto:info@example.org">نامه<\/a>/);
    assert.match(out, /<a>نسبی<\/a>/, 'relative links lose their href');
  });

  it('keeps escaped markup as text, never as markup', () => {
    const out = sanitizeDocument('<p>&lt;script&gt;alert(1)&lt;/script&gt; و «نقل‌قول»</p>');
    assert.equal(out, '<p>&lt;script&gt;alert(1)&lt;/script&gt; و «نقل‌قول»</p>');
  });

  it('normalises to NFC and drops a byte order mark', () => {
    const decomposed = '\uFEFF<p>Vie\u0302\u0323t Nam – e\u0301</p>';
    assert.equal(sanitizeDocument(decomposed), '<p>Việt Nam – é</p>');
  });

  it('maps page structure to containers and keeps tables and lists', () => {
    const out = sanitizeDocument(
      '<header><h2>مقدمه</h2></header><article data-number="1"><h2>ماده ۱</h2><ol start="2"><li>یک</li></ol></article>' +
        '<table><thead><tr><th scope="col" style="x">الف</th></tr></thead><tbody><tr><td colspan="2" onclick="x">ب</td></tr></tbody></table>',
    );
    assert.equal(
      out,
      '<div><h2>مقدمه</h2></div><article><h2>ماده ۱</h2><ol start="2"><li>یک</li></ol></article>' +
        '<table><thead><tr><th scope="col">الف</th></tr></thead><tbody><tr><td colspan="2">ب</td></tr></tbody></table>',
    );
  });

  it('never lets a tag through, whatever is mixed into the text (property)', () => {
    const pieces = [
      '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<svg onload=alert(1)>', '<a href="javascript:alert(1)">',
      '<p style="x">', '</p>', '<', '>', '"', "'", '&', '&lt;', '<!--', '-->', 'سلام', 'می\u200cخواهم', 'עברית', 'abc', ' ',
      '<iframe src=x>', '<style>', '</style>', '<p onclick=alert(1)>', '<a href=" javascript:x">', '<math>', '<![CDATA[',
    ]; // prettier-ignore
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 30 }), (parts) => {
        assertInert(sanitizeDocument(parts.join('')));
      }),
      { numRuns: 500 },
    );
  });
});

describe('prepareHtmlEdition: title and sections', () => {
  it('drops the top-level h1 and splits at top-level blocks', () => {
    const html = `<!doctype html><html lang="ar" dir="rtl"><head><title>عنوان الصفحة</title></head><body>
      <h1>الإعلان العالمي لحقوق الإنسان</h1>
      <header><h2>الديباجة</h2><p>لما كان الاعتراف بالكرامة المتأصلة...</p></header>
      <article><h2>المادة 1</h2><p>يولد جميع الناس أحرارًا.</p></article>
    </body></html>`;
    const prepared = prepareHtmlEdition(html);
    assert.equal(prepared.title, 'الإعلان العالمي لحقوق الإنسان');
    assert.equal(prepared.sections.length, 1);
    const section = prepared.sections[0]!;
    assert.equal(section.heading, 'الديباجة');
    assert.doesNotMatch(section.html, /<h1|عنوان الصفحة/);
    assert.deepEqual(
      topLevelBlocks(section.html).map((b) => b.tag),
      ['div', 'article'],
    );
  });

  it('groups small blocks into balanced sections of at most 12,000 bytes and never splits a block', () => {
    const articles = Array.from(
      { length: 30 },
      (_, i) => `<article><h2>ماده ${i + 1}</h2><p>${'حق '.repeat(250)}</p></article>`,
    );
    const huge = `<section><h3>بخش بزرگ</h3>${'<p>' + 'متن '.repeat(400) + '</p>'.repeat(1)}${'<p>x</p>'.repeat(2000)}</section>`;
    const { sections } = prepareHtmlEdition(`<h1>T</h1>${articles.join('\n')}${huge}<p>پایان</p>`);
    const sizes = sections.map((s) => Buffer.byteLength(s.html, 'utf8'));
    const single = sections.filter((s) => topLevelBlocks(s.html).length === 1);
    for (const s of sections) {
      const bytes = Buffer.byteLength(s.html, 'utf8');
      if (bytes > MAX_SECTION_BYTES)
        assert.equal(topLevelBlocks(s.html).length, 1, 'only a single block may exceed');
    }
    assert.ok(
      single.some((s) => s.heading === 'بخش بزرگ'),
      'the huge block is a section of its own',
    );
    // Every article is intact and in order.
    const all = sections.map((s) => s.html).join('\n');
    for (let i = 1; i <= 30; i++) assert.ok(all.includes(`<h2>ماده ${i}</h2>`));
    assert.ok(
      all.indexOf('ماده 30') < all.indexOf('بخش بزرگ') &&
        all.indexOf('بخش بزرگ') < all.indexOf('پایان'),
    );
    // Balanced: the article sections do not leave a tiny remainder.
    const articleSections = sizes.slice(
      0,
      sections.findIndex((s) => s.heading === 'بخش بزرگ'),
    );
    assert.ok(
      Math.min(...articleSections) > MAX_SECTION_BYTES / 3,
      `unbalanced: ${articleSections.join(', ')}`,
    );
  });

  it('wraps top-level text in a paragraph and takes headings from h1-h3', () => {
    const blocks = topLevelBlocks(
      sanitizeDocument('loose <em>text</em><br>more<h3>Heading</h3><div><h2>Inner</h2></div>'),
    );
    assert.deepEqual(
      blocks.map((b) => b.html),
      ['<p>loose <em>text</em><br />more</p>', '<h3>Heading</h3>', '<div><h2>Inner</h2></div>'],
    );
    const sections = splitSections(blocks, 30);
    assert.deepEqual(
      sections.map((s) => s.heading),
      [null, 'Heading', 'Inner'],
    );
  });

  it('gives nothing for a document without content', () => {
    assert.deepEqual(
      prepareHtmlEdition('<script>alert(1)</script><style>p{}</style>').sections,
      [],
    );
  });
});
