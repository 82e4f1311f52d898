/**
 * The service worker of the offline shelf, at /sw.js (scope: the whole site). It never changes
 * what a connected reader gets: pages, scripts and downloads go to the network as usual, and only
 * when the network fails does it answer from what the reader saved on her offline shelf (or, for
 * a page she did not save, with the shelf itself). Nothing is cached here without her asking.
 */
export {};

const PAGES = 'lc-offline-v1';

interface FetchEventLike extends Event {
  request: Request;
  respondWith(response: Promise<Response>): void;
}
interface ExtendableEventLike extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
const worker = self as unknown as {
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', cb: (e: ExtendableEventLike) => void): void;
  addEventListener(type: 'fetch', cb: (e: FetchEventLike) => void): void;
};

worker.addEventListener('install', (e) => e.waitUntil(worker.skipWaiting()));
worker.addEventListener('activate', (e) => e.waitUntil(worker.clients.claim()));

async function fromShelf(request: Request): Promise<Response> {
  const cache = await caches.open(PAGES);
  const hit = await cache.match(request, { ignoreVary: true });
  if (hit) return hit;
  if (request.mode === 'navigate') {
    const lang = new URL(request.url).pathname.split('/')[1] ?? '';
    const keys = await cache.keys();
    const shelf =
      keys.find((k) => new URL(k.url).pathname === `/${lang}/offline`) ??
      keys.find((k) => /^\/[a-z]{2}\/offline$/.test(new URL(k.url).pathname));
    if (shelf) return (await cache.match(shelf, { ignoreVary: true })) ?? Response.error();
  }
  return Response.error();
}

worker.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== location.origin) return;
  // Only what the shelf can hold: pages, our scripts, whole-file downloads (not media ranges).
  const shelved =
    request.mode === 'navigate' ||
    url.pathname.startsWith('/assets/') ||
    (url.pathname.startsWith('/download/') && !request.headers.has('range'));
  if (!shelved) return;
  event.respondWith(fetch(request).catch(() => fromShelf(request)));
});
