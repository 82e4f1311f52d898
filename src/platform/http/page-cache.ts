import type { ContentVersionWatcher } from '../cache/content-version.js';
import type { RenderedPage } from './page.js';

/**
 * An in-process cache of rendered public pages. It is only an optimisation and safe to lose:
 * entries expire after `ttlMs` and are keyed by the content version, so another instance's
 * change shows here within the watcher's polling interval.
 */
export class PageCache {
  private readonly entries = new Map<string, { page: RenderedPage; expires: number }>();
  private version = '';

  constructor(
    private readonly ttlMs: number,
    private readonly watcher: ContentVersionWatcher,
    private readonly maxEntries = 2000,
  ) {}

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  private async sync(): Promise<void> {
    const version = await this.watcher.current();
    if (version !== this.version) {
      this.entries.clear();
      this.version = version;
    }
  }

  async get(key: string): Promise<RenderedPage | undefined> {
    if (!this.enabled) return undefined;
    await this.sync();
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires < Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.page;
  }

  async set(key: string, page: RenderedPage): Promise<void> {
    if (!this.enabled) return;
    await this.sync();
    if (this.entries.size >= this.maxEntries) {
      // Maps iterate in insertion order: drop the oldest entry.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { page, expires: Date.now() + this.ttlMs });
  }
}
