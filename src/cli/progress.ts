import cliProgress from 'cli-progress';
import type { ImportProgress } from '../features/imports/importer.js';

/** A progress bar on a terminal; occasional plain lines when output goes to a file or CI log. */
export function progressReporter(title: string): {
  update: (p: ImportProgress) => void;
  stop: () => void;
} {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${title} [{bar}] {percentage}% {value}/{total} {label}`,
        stream: process.stderr,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update: (p) => {
        if (!started) {
          bar.start(p.total, p.done, { label: p.label });
          started = true;
        }
        bar.setTotal(p.total);
        bar.update(p.done, { label: p.label.slice(0, 40) });
      },
      stop: () => started && bar.stop(),
    };
  }
  let lastPercent = -1;
  return {
    update: (p) => {
      const percent = p.total ? Math.floor((p.done / p.total) * 10) * 10 : 0;
      if (percent !== lastPercent) {
        lastPercent = percent;
        process.stderr.write(`${title}: ${percent}% (${p.done}/${p.total})\n`);
      }
    },
    stop: () => {},
  };
}
