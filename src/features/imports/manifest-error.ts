/**
 * Problems found in an import manifest. Each names the file and line it comes from, and they are
 * reported all together, so that an editor can fix a manifest in one pass.
 */
export interface ManifestProblem {
  file: string;
  /** 1-based line number. */
  line: number;
  message: string;
}

export class ManifestError extends Error {
  readonly problems: ManifestProblem[];
  constructor(problems: ManifestProblem[]) {
    const sorted = [...problems].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
    const count = sorted.length === 1 ? '1 problem' : `${sorted.length} problems`;
    super(
      `The import manifest has ${count}:\n${sorted.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n')}`,
    );
    this.name = 'ManifestError';
    this.problems = sorted;
  }
}
