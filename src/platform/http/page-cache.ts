import type { RenderedPage } from './page.js';

/**
 * An in-process cache of rendered public pages. It is only an optimisation and safe to lose:
 * entries expire after `ttlMs` and are keyed by the database's content version, which this
 * instance re-reads at most once per `versionCheckMs`, so another instance's change shows here
 * within that interval.
 */
export class PageCache {
  private readonly entries = new Map<string, { page: RenderedPage; expires: number }>();
  private version = '';
  private versionCheckedAt = 0;
  private pendingVersion: Promise<void> | undefined;

  constructor(
    private readonly ttlMs: number,
    private readonly readVersion: () => Promise<string>,
    private readonly maxEntries = 2000,
    private readonly versionCheckMs = 1000,
  ) {}

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  private async currentVersion(): Promise<string> {
    const now = Date.now();
    if (now - this.versionCheckedAt >= this.versionCheckMs) {
      this.pendingVersion ??= this.readVersion()
        .then((v) => {
          if (v !== this.version) this.entries.clear();
          this.version = v;
          this.versionCheckedAt = Date.now();
        })
        .finally(() => {
          this.pendingVersion = undefined;
        });
      await this.pendingVersion;
    }
    return this.version;
  }

  async get(key: string): Promise<RenderedPage | undefined> {
    if (!this.enabled) return undefined;
    const version = await this.currentVersion();
    const entry = this.entries.get(`${version}\u0000${key}`);
    if (!entry) return undefined;
    if (entry.expires < Date.now()) {
      this.entries.delete(`${version}\u0000${key}`);
      return undefined;
    }
    return entry.page;
  }

  async set(key: string, page: RenderedPage): Promise<void> {
    if (!this.enabled) return;
    const version = await this.currentVersion();
    if (this.entries.size >= this.maxEntries) {
      // Maps iterate in insertion order: drop the oldest entry.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(`${version}\u0000${key}`, { page, expires: Date.now() + this.ttlMs });
  }
}
