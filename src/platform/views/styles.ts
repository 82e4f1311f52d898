import { createHash } from 'node:crypto';

/**
 * The whole stylesheet, inlined in every page so that a page needs one round trip. Logical
 * properties only (margin-inline-start, not margin-left), so right-to-left pages mirror.
 * System fonts per script: nothing is downloaded.
 */
export const CSS = `
:root{--fg:#1b1b1f;--muted:#50505a;--bg:#fff;--accent:#7a1f5c;--line:#d8d8de;--soft:#f5f2f5;color-scheme:light}
*{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Arabic","Noto Naskh Arabic",Tahoma,sans-serif;font-size:100%;line-height:1.5;color:var(--fg);background:var(--bg);-webkit-text-size-adjust:100%}
:lang(ar),:lang(fa),:lang(ur),:lang(ps),:lang(ckb),:lang(sd),:lang(ug){line-height:1.7}
body{margin:0}
a{color:var(--accent)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,summary:focus-visible{outline:3px solid #1a5fb4;outline-offset:2px}
.skip{position:absolute;inset-inline-start:-999px}
.skip:focus{inset-inline-start:8px;inset-block-start:8px;background:#fff;padding:8px;z-index:2}
header.site,footer.site{background:var(--soft);padding-block:8px;padding-inline:16px}
header.site{display:flex;flex-wrap:wrap;gap:4px 16px;align-items:center;border-block-end:1px solid var(--line)}
.brand{font-weight:700;text-decoration:none;color:var(--fg);margin-inline-end:auto}
nav.top a,nav.langs a{display:inline-block;min-height:44px;min-width:44px;padding:10px 6px}
main{max-width:44rem;margin-inline:auto;padding:8px 16px 32px}
h1{font-size:1.6rem;line-height:1.25;margin-block:16px 8px}
h2{font-size:1.2rem;margin-block:24px 8px}
ul.items{list-style:none;padding:0;margin:0}
ul.items>li{border-block-end:1px solid var(--line);padding-block:10px}
ul.items a.t{font-weight:600}
.meta,.note{color:var(--muted);font-size:.95rem}
.note{background:var(--soft);border-inline-start:4px solid var(--accent);padding:8px 12px}
.actions{display:flex;flex-wrap:wrap;gap:8px;margin-block:12px;padding:0;list-style:none}
.btn{display:inline-block;min-height:44px;padding:10px 16px;border-radius:6px;background:var(--accent);color:#fff;text-decoration:none;font-weight:600}
.btn.alt{background:#fff;color:var(--accent);border:2px solid var(--accent);padding:8px 14px}
ul.inline{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:0 14px}
ul.inline a{display:inline-block;min-height:44px;padding-block:10px}
.facets{display:flex;flex-wrap:wrap;gap:0 24px}
.facets section{min-width:12rem}
.facets h2{font-size:1rem;margin-block:8px 0}
a[aria-current]{font-weight:700;color:var(--fg)}
nav.pages{display:flex;flex-wrap:wrap;gap:8px;margin-block:16px}
nav.pages a,nav.pages span{display:inline-block;min-width:44px;min-height:44px;padding:10px;text-align:center;border:1px solid var(--line);border-radius:6px}
form.search{display:flex;gap:8px;margin-block:12px}
form.search input{flex:1;min-height:44px;font:inherit;padding:8px;border:1px solid var(--muted);border-radius:6px;min-width:0}
form.search button{min-height:44px;font:inherit;padding:8px 16px;border:0;border-radius:6px;background:var(--accent);color:#fff}
.reading{font-size:1.05rem;max-width:38rem}
video{width:100%;max-height:60vh;background:#000}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 12px}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0}
table{border-collapse:collapse}
form.fields{display:grid;gap:12px;max-width:30rem}
form.fields label{display:grid;gap:4px;font-weight:600}
form.fields input,form.fields select,form.fields textarea{min-height:44px;font:inherit;padding:8px;border:1px solid var(--muted);border-radius:6px;font-weight:400;width:100%}
button,.button{min-height:44px;font:inherit;padding:8px 16px;border:0;border-radius:6px;background:var(--accent);color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
button.plain{background:none;color:var(--accent);border:1px solid var(--line)}
form.inline{display:inline}
form.signout{display:flex;align-items:center;gap:8px}
.error{color:#a4000f;background:#fdeeee;border-inline-start:4px solid #a4000f;padding:8px 12px}
.ok{background:#eef8ee;border-inline-start:4px solid #236b23;padding:8px 12px}
.grid{overflow-x:auto}
.grid table{min-width:100%}
.grid th,.grid td{border:1px solid var(--line);padding:6px 8px;text-align:start;vertical-align:top}
.st-missing{color:var(--muted)}
.st-stale{background:#fff4d6}
.st-published{background:#eef8ee}
code.secret{font-size:1.2rem;letter-spacing:.1em;word-break:break-all}
.code-shown code{font-size:2rem;direction:ltr;unicode-bidi:isolate}
.tick{display:flex;align-items:center;gap:12px;min-height:44px}
.tick input{inline-size:1.6rem;block-size:1.6rem}
fieldset.scale label{display:inline-flex;align-items:center;gap:4px;margin-inline-end:12px;min-height:44px}
.cost{display:block;color:var(--muted);font-size:.9rem}
img.thumb{object-fit:contain;background:var(--soft);flex:none;max-inline-size:100%}
li.th{display:flex;gap:12px;align-items:flex-start}
form.saver{display:flex;flex-wrap:wrap;align-items:center;gap:4px 12px;margin-block:12px}
`.replace(/\n/g, '');

/** CSP hash of the inline stylesheet, so the policy can forbid every other inline style. */
export const CSS_HASH = `'sha256-${createHash('sha256').update(CSS).digest('base64')}'`;
