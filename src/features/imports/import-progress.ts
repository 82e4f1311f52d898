/** Progress of an import, reported to the caller (the CLI draws a progress bar with it). */
export interface ImportProgress {
  done: number;
  total: number;
  label: string;
}

const PROGRESS_INTERVAL_MS = 100;

/** Counts steps and reports at most every PROGRESS_INTERVAL_MS, and always at start and end. */
export class Progress {
  private done = 0;
  private last = 0;
  constructor(
    private readonly total: number,
    private readonly report: ((p: ImportProgress) => void) | undefined,
  ) {
    this.emit('Starting', true);
  }
  tick(label: string, count = 1): void {
    this.done += count;
    this.emit(label, this.done >= this.total);
  }
  private emit(label: string, force: boolean): void {
    if (!this.report) return;
    const now = Date.now();
    if (!force && now - this.last < PROGRESS_INTERVAL_MS) return;
    this.last = now;
    this.report({ done: Math.min(this.done, this.total), total: this.total, label });
  }
}
