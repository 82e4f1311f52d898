/**
 * The offline shelf, for browsers with JavaScript, a service worker and the Cache API. On an
 * edition page it shows "Save for offline reading" (the server renders it hidden); on the shelf
 * page it lists what this browser kept. Without JavaScript nothing here runs and every page
 * still works: the shelf page then says so and points to downloads.
 */
export {};

const PAGES = 'lc-offline-v1';
const SHELF = 'lc-shelf-v1';
const MAX_READ_PAGES = 200;
// This script's own address (its name carries its hash): kept with the pages that load it.
const SELF = (document.currentScript as HTMLScriptElement | null)?.src ?? '/assets/offline.js';

interface Entry {
  id: string;
  title: string;
  tl: string;
  dir: string;
  page: string;
  read: string;
  file: string;
  fileLabel: string;
  urls: string[];
}

const supported = () => 'serviceWorker' in navigator && 'caches' in window;
const shelfKey = (id: string) => `/offline-shelf/${encodeURIComponent(id)}`;

async function entries(): Promise<Entry[]> {
  const shelf = await caches.open(SHELF);
  const found = await Promise.all(
    (await shelf.keys()).map(async (k) => (await shelf.match(k))?.json() as Promise<Entry>),
  );
  return found.filter(Boolean);
}

async function save(box: HTMLElement, status: HTMLElement): Promise<void> {
  const d = box.dataset;
  const select = box.querySelector('select');
  const file = select?.value ?? '';
  const urls = [d.page!, location.pathname + location.search, d.shelf!, SELF];
  const pages = Math.min(Number(d.pages ?? 0), MAX_READ_PAGES);
  for (let i = 1; i <= pages; i++) urls.push(i === 1 ? d.read! : `${d.read}?page=${i}`);
  if (file) urls.push(file);
  status.textContent = d.saving ?? '';
  try {
    await navigator.serviceWorker.register('/sw.js');
    await navigator.serviceWorker.ready;
    // addAll stores nothing unless every address answered 200.
    await (await caches.open(PAGES)).addAll([...new Set(urls)]);
    // The title as the page shows it (not copied into an attribute: it is data, shown as text).
    const h1 = document.querySelector('main h1')!;
    const entry: Entry = {
      id: d.id!,
      title: h1.textContent ?? '',
      tl: h1.getAttribute('lang') ?? '',
      dir: h1.getAttribute('dir') ?? 'auto',
      page: d.page!,
      read: pages > 0 ? d.read! : '',
      file,
      fileLabel: file && select ? select.options[select.selectedIndex]!.text : '',
      urls: [...new Set(urls)],
    };
    await (await caches.open(SHELF)).put(shelfKey(entry.id), new Response(JSON.stringify(entry)));
    status.textContent = d.saved ?? '';
  } catch {
    status.textContent = d.failed ?? '';
  }
}

/** Removes an edition and every kept address no other saved edition needs. */
async function remove(entry: Entry): Promise<void> {
  await (await caches.open(SHELF)).delete(shelfKey(entry.id));
  const kept = new Set((await entries()).flatMap((e) => e.urls));
  const pages = await caches.open(PAGES);
  await Promise.all(entry.urls.filter((u) => !kept.has(u)).map((u) => pages.delete(u)));
}

function link(href: string, text: string): HTMLAnchorElement {
  const a = document.createElement('a');
  a.href = href;
  a.textContent = text;
  return a;
}

async function drawShelf(root: HTMLElement): Promise<void> {
  const d = root.dataset;
  const note = document.getElementById('offline-nojs')!;
  if (!supported()) {
    note.textContent = d.unsupported ?? '';
    return;
  }
  void navigator.serviceWorker.register('/sw.js');
  const list = root.querySelector('ul')!;
  const all = await entries();
  list.textContent = '';
  note.textContent = d.empty ?? '';
  note.hidden = all.length > 0;
  for (const entry of all) {
    const li = document.createElement('li');
    const title = link(entry.page, entry.title);
    title.className = 't';
    title.lang = entry.tl;
    title.dir = entry.dir;
    const actions = document.createElement('div');
    actions.className = 'meta';
    if (entry.read) actions.append(link(entry.read, d.read ?? ''), ' · ');
    if (entry.file) {
      const file = link(entry.file, `${d.file ?? ''}: ${entry.fileLabel}`);
      file.download = '';
      actions.append(file, ' · ');
    }
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'plain';
    button.textContent = d.remove ?? '';
    button.addEventListener('click', () => void remove(entry).then(() => drawShelf(root)));
    actions.append(button);
    li.append(title, actions);
    list.append(li);
  }
}

const box = document.getElementById('offline-save');
if (box && supported()) {
  const status = box.querySelector<HTMLElement>('[role="status"]')!;
  box.hidden = false;
  box.querySelector('button')!.addEventListener('click', () => void save(box, status));
  void entries().then((all) => {
    if (all.some((e) => e.id === box.dataset.id)) status.textContent = box.dataset.saved ?? '';
  });
}
const shelf = document.getElementById('offline-shelf');
if (shelf) void drawShelf(shelf);
