import type { Command } from 'commander';
import type { Config } from '../config.js';
import type { Database } from '../platform/db/database.js';

type WithDatabase = <T>(fn: (database: Database, cfg: Config) => Promise<T>) => Promise<T | void>;

interface ExportCommandOptions {
  out: string;
  collection?: string;
  languages?: string;
  check?: boolean;
}

function megabytes(bytes: number) {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** `learning-center export zim|bundle`: the library for offline use. */
export function registerExportCommands(program: Command, withDatabase: WithDatabase) {
  const exportCommand = program
    .command('export')
    .description('Write the public library for offline use: a ZIM file (Kiwix) or a static bundle');

  const run = async (kind: 'zim' | 'bundle', options: ExportCommandOptions) => {
    const { exportBundle, exportZim, ExportOutputError } =
      await import('../features/export/export.js');
    const { ExportInputError, parseLanguageList } = await import('../features/export/scope.js');
    const { buildApp } = await import('../app.js');
    const { Catalogs } = await import('../platform/i18n/catalog.js');
    const { createBlobStore } = await import('../platform/storage/create-blob-store.js');
    const { progressReporter } = await import('./progress.js');

    let languages: string[] | undefined;
    try {
      languages = options.languages ? parseLanguageList(options.languages) : undefined;
    } catch (error) {
      console.error((error as Error).message);
      process.exitCode = 1;
      return;
    }
    if (kind === 'zim' && !/\.zim$/i.test(options.out)) {
      console.error(`The ZIM file name must end in .zim (got ${options.out}).`);
      process.exitCode = 1;
      return;
    }

    await withDatabase(async (database, cfg) => {
      const blobs = await createBlobStore(cfg);
      const app = await buildApp({
        config: { ...cfg, logLevel: 'silent', pageCacheSeconds: 0, runJobs: false },
        database,
        blobs,
        catalogs: new Catalogs(),
      });
      const progress = progressReporter(kind === 'zim' ? 'Exporting ZIM' : 'Exporting bundle');
      const options2 = {
        app,
        database,
        blobs,
        publicUrl: cfg.publicUrl,
        out: options.out,
        filters: { collection: options.collection, languages },
        onProgress: progress.update,
        log: (message: string) => {
          progress.stop();
          process.stderr.write(`${message}\n`);
        },
      };
      try {
        if (kind === 'zim') {
          const result = await exportZim({ ...options2, check: options.check !== false });
          progress.stop();
          if (result.zimcheck) process.stderr.write(result.zimcheck.trim() + '\n');
          console.log(
            `Wrote ${result.out}: ${result.pages} pages, ${result.files} files, ${megabytes(result.size)} in ${result.seconds.toFixed(1)} s.`,
          );
        } else {
          const result = await exportBundle(options2);
          progress.stop();
          console.log(
            `Wrote ${result.out}: ${result.pages} pages, ${result.files} files, ${megabytes(result.size)} in ${result.seconds.toFixed(1)} s. Open index.html in a browser.`,
          );
        }
      } catch (error) {
        progress.stop();
        if (error instanceof ExportOutputError || error instanceof ExportInputError) {
          console.error(error.message);
          console.error('Nothing was written.');
          process.exitCode = 1;
          return;
        }
        throw error;
      } finally {
        await app.close();
      }
    });
  };

  exportCommand
    .command('bundle')
    .description(
      'Static pages and files, browsable from a USB stick with file:// (a folder, or a .zip)',
    )
    .requiredOption('--out <dir|file.zip>', 'new folder, or a file name ending in .zip')
    .option('--collection <slug>', "only this collection's works")
    .option('--languages <tags>', 'only editions in these languages, e.g. ar,fa')
    .action((options: ExportCommandOptions) => run('bundle', options));

  exportCommand
    .command('zim')
    .description('A ZIM file for Kiwix (built with zimwriterfs, checked with zimcheck -A)')
    .requiredOption('--out <file.zim>', 'the ZIM file to write')
    .option('--collection <slug>', "only this collection's works")
    .option('--languages <tags>', 'only editions in these languages, e.g. ar,fa')
    .option('--no-check', 'skip zimcheck -A on the result')
    .action((options: ExportCommandOptions) => run('zim', options));
}
