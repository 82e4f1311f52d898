/**
 * The database's content version as this instance last saw it, re-read at most once per
 * `checkMs`. Caches key their entries by it, so a change made by any instance (or the CLI)
 * reaches every instance's caches within that interval, with no messages between them.
 */
export class ContentVersionWatcher {
  private version = '';
  private checkedAt = -Infinity;
  private pending: Promise<void> | undefined;

  constructor(
    private readonly read: () => Promise<string>,
    private readonly checkMs = 1000,
  ) {}

  async current(): Promise<string> {
    if (Date.now() - this.checkedAt >= this.checkMs) {
      this.pending ??= this.read()
        .then((v) => {
          this.version = v;
          this.checkedAt = Date.now();
        })
        .finally(() => {
          this.pending = undefined;
        });
      await this.pending;
    }
    return this.version;
  }

  /** Re-read at the next use: this instance has just changed content, its pages must show it. */
  expire(): void {
    this.checkedAt = -Infinity;
  }
}

/**
 * Results of read queries, kept until the content version changes or the entry is evicted
 * (oldest first). Safe to lose: a miss just runs the query. Callers must not mutate values.
 */
export class VersionedMemo {
  private entries = new Map<string, unknown>();
  private version = '';

  constructor(
    private readonly watcher: ContentVersionWatcher,
    private readonly maxEntries = 5000,
  ) {}

  async get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const version = await this.watcher.current();
    if (version !== this.version) {
      this.entries = new Map();
      this.version = version;
    }
    if (this.entries.has(key)) return this.entries.get(key) as T;
    const value = await compute();
    // The version may have moved on while computing; then the value belongs to no one.
    if (version === this.version) {
      if (this.entries.size >= this.maxEntries)
        this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, value);
    }
    return value;
  }
}
