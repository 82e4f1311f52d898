import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { buildTestApp } from '../helpers/app.js';
const t = await buildTestApp('sqlite');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--disable-sync','--no-first-run'] });
const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
const page = await ctx.newPage();
const rows = await t.database.db.selectFrom('editions as e').innerJoin('works as w','w.id','e.work_id').leftJoin('edition_sections as s','s.edition_id','e.id').select(['w.slug','e.language','s.position']).execute();
const paths = new Set<string>();
for (const r of rows) { paths.add(`/fa/works/${r.slug}/${r.language}`); if (r.position !== null) paths.add(`/ar/works/${r.slug}/${r.language}/read?page=${r.position+1}`); }
for (const p of ['/en/collections/corpus','/ar/collections/corpus','/fa/topics/training','/fa/library?page=2','/fa/languages?page=2', '/en/library?language=de-1996']) paths.add(p);
for (const p of paths) {
  const r = await page.goto(t.baseUrl + p);
  const res = await new AxeBuilder({ page }).analyze();
  const sw = await page.evaluate(() => document.documentElement.scrollWidth);
  const v = res.violations.map(v => `${v.id}(${v.impact}) ${v.nodes.map(n=>n.target.join(' ')).slice(0,3).join(' | ')}`).join(' ;; ');
  if (v || sw > 360 || r?.status() !== 200) console.log(p, r?.status(), sw, v);
}
console.log('checked', paths.size);
await browser.close(); await t.close();
