/**
 * `learning-center backup --out FILE`, `backup verify FILE`, `backup keygen --out FILE` and
 * `learning-center restore FILE [--force]`. Same configuration as `serve` (DATA_DIR,
 * DATABASE_URL, S3_*), plus the backup key pair: BACKUP_RECIPIENT (public: all a server needs
 * to make backups) and BACKUP_IDENTITY / BACKUP_IDENTITY_FILE (secret: restore and verify).
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import type { Config } from '../config.js';

const KEY_HELP = `
Backup keys (age X25519, separate from the field keys):
  BACKUP_RECIPIENT       public key (age1...) backups are encrypted to; printed by "backup keygen"
  BACKUP_IDENTITY_FILE   file holding the secret key (AGE-SECRET-KEY-1...), for restore and verify
  BACKUP_IDENTITY        the secret key itself, instead of the file
Keep the secret key off the server. "age -d -i IDENTITY FILE | tar t" also reads a backup.`;

function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

/** Reads the field keys only where they already exist: a backup must not create a key file. */
async function existingFieldKeys(cfg: Config) {
  const { defaultKeyFile, loadKeyRing } = await import('../platform/crypto/key-ring.js');
  const configured =
    process.env.FIELD_KEYS?.trim() ||
    process.env.FIELD_KEYS_FILE?.trim() ||
    fs.existsSync(defaultKeyFile(cfg.dataDir));
  return configured ? loadKeyRing(process.env, cfg.dataDir) : undefined;
}

export function registerBackupCommands(program: Command, config: () => Config) {
  const backup = program
    .command('backup')
    .description('Encrypted backups: write one (backup --out FILE), verify one, make a key pair')
    .addHelpText('after', KEY_HELP);

  // The default subcommand, so that `backup --out FILE` and `backup keygen --out FILE` each
  // get their own --out.
  backup
    .command('create', { isDefault: true })
    .description('Write an encrypted backup of the database and files (the default)')
    .option('--out <file>', 'the backup file to write (for example backup-2026-12-01.lcbk)')
    .option('--include-blobs', 'with object storage: copy the objects into the backup too')
    .option(
      '--include-field-keys',
      'put the field keys in the backup too (then the backup key alone opens every personal field)',
    )
    .addHelpText('after', KEY_HELP)
    .action(
      async (options: { out?: string; includeBlobs?: boolean; includeFieldKeys?: boolean }) => {
        const { readRecipient, assertSeparateFromFieldKeys } =
          await import('../features/backup/keys.js');
        const { createBackup, totalRows } = await import('../features/backup/create.js');
        const { createBlobStore } = await import('../platform/storage/create-blob-store.js');
        if (!options.out) throw new Error('Say where to write the backup: backup --out FILE');
        const cfg = config();
        const recipient = readRecipient(process.env);
        const ring = await existingFieldKeys(cfg);
        await assertSeparateFromFieldKeys({ recipient }, ring);
        if (options.includeFieldKeys && !ring)
          throw new Error('--include-field-keys: no field keys are configured on this server.');
        const started = Date.now();
        const manifest = await createBackup({
          config: cfg,
          store: await createBlobStore(cfg),
          out: options.out,
          recipient,
          includeBlobs: options.includeBlobs === true,
          ...(options.includeFieldKeys && ring ? { fieldKeys: ring } : {}),
          log: (m) => console.log(m),
        });
        const bytes = manifest.blobs.reduce((sum, b) => sum + b.size, 0);
        console.log(
          `Backup written to ${options.out} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${manifest.dialect} database (${plural(totalRows(manifest), 'row', 'rows')} in ${plural(Object.keys(manifest.tables).length, 'table', 'tables')}), ${plural(manifest.blobs.length, 'file', 'files')} (${megabytes(bytes)}) ${manifest.blobsIncluded ? 'included' : 'listed (they stay in the bucket)'}.`,
        );
        if (!manifest.fieldKeysIncluded)
          console.log(
            'The field keys are not in the backup: keep a copy of them apart from it (see docs/operations.md).',
          );
      },
    );

  backup
    .command('verify')
    .description('Decrypt a backup and check every part of it (needs the backup identity)')
    .argument('<file>', 'the backup file')
    .option(
      '--deep',
      "PostgreSQL: restore into a throwaway database on DATABASE_URL's server and count rows",
    )
    .action(async (file: string, options: { deep?: boolean }) => {
      const { readIdentity } = await import('../features/backup/keys.js');
      const { verifyBackup } = await import('../features/backup/verify.js');
      const { totalRows } = await import('../features/backup/create.js');
      const identity = readIdentity(process.env);
      const deepWith = options.deep ? config().databaseUrl : undefined;
      if (options.deep && !deepWith)
        throw new Error(
          '--deep needs DATABASE_URL: a PostgreSQL server to restore into a throwaway database.',
        );
      const result = await verifyBackup({ file, identity, deepWith });
      const m = result.manifest;
      console.log(
        `Backup of ${m.createdAt} by Learning Center ${m.appVersion}: ${m.dialect} database, ${plural(totalRows(m), 'row', 'rows')} in ${plural(Object.keys(m.tables).length, 'table', 'tables')}, ${plural(m.migrations.length, 'migration', 'migrations')}; ${plural(m.blobs.length, 'file', 'files')} ${m.blobsIncluded ? `included (${megabytes(result.blobBytes)})` : 'listed (kept in the bucket)'}${m.fieldKeysIncluded ? '; field keys included' : ''}.`,
      );
      for (const check of result.checks) console.log(`  ok: ${check}`);
      if (result.problems.length) {
        for (const problem of result.problems) console.error(`  FAILED: ${problem}`);
        console.error('This backup is not usable.');
        process.exitCode = 1;
        return;
      }
      console.log('The backup is complete and consistent.');
    });

  backup
    .command('keygen')
    .description(
      'Create a backup key pair: writes the secret key to FILE (0600), prints the public key',
    )
    .requiredOption('--out <file>', 'where to write the secret key (keep it off the server)')
    .action(async (options: { out: string }) => {
      const { generateKeyFile } = await import('../features/backup/keys.js');
      const recipient = await generateKeyFile(options.out);
      console.log(`Secret key written to ${options.out}. Keep it safe and away from the server.`);
      console.log('Give the server the public key:');
      console.log(`BACKUP_RECIPIENT=${recipient}`);
    });

  program
    .command('restore')
    .description('Restore a backup into an empty DATA_DIR / database (stop the server first)')
    .argument('<file>', 'the backup file')
    .option('--force', 'replace the database that is there (SQLite: moved aside, not deleted)')
    .addHelpText('after', KEY_HELP)
    .action(async (file: string, options: { force?: boolean }) => {
      const { readIdentity } = await import('../features/backup/keys.js');
      const { restoreBackup } = await import('../features/backup/restore.js');
      const { totalRows } = await import('../features/backup/create.js');
      const { createBlobStore } = await import('../platform/storage/create-blob-store.js');
      const identity = readIdentity(process.env);
      const cfg = config();
      const result = await restoreBackup({
        config: cfg,
        store: await createBlobStore(cfg),
        file,
        identity,
        force: options.force === true,
        log: (m) => console.log(m),
      });
      const m = result.manifest;
      console.log(
        `Restored the backup of ${m.createdAt}: ${plural(totalRows(m), 'row', 'rows')} in ${plural(Object.keys(m.tables).length, 'table', 'tables')}, ${plural(m.blobs.length, 'file', 'files')}. Integrity and foreign-key checks passed; row counts match the backup.`,
      );
      const main = ['works', 'editions', 'users', 'events', 'participants', 'registrations'];
      console.log(
        `  ${main
          .filter((table) => table in result.tables)
          .map((table) => `${table}: ${result.tables[table]}`)
          .join(', ')}`,
      );
      for (const note of result.notes) console.log(note);
      console.log('Start the server (learning-center serve): it applies any newer migrations.');
    });
}
