/**
 * Checks at start: a process that cannot reach its database or write its files refuses to start
 * and says exactly why, in one line, without a stack (a supervisor's log shows it as it is).
 * Later failures only turn /readyz to 503 (see health.ts).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Config } from '../../config.js';
import type { Database } from '../db/database.js';
import type { BlobStore } from '../storage/blob-store.js';
import { databaseLocation, describeDatabaseError, firstLine } from './describe-failure.js';

export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
  }
}

const START_TIMEOUT_MS = 10_000;

function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${what} did not answer within ${START_TIMEOUT_MS / 1000} s`)),
        START_TIMEOUT_MS,
      );
      timer.unref();
    }),
  ]).finally(() => clearTimeout(timer));
}

function whereIs(config: Pick<Config, 'databaseUrl' | 'dataDir'>): string {
  return config.databaseUrl
    ? `the PostgreSQL database at ${databaseLocation(config.databaseUrl)}`
    : `the SQLite database in ${config.dataDir}`;
}

/**
 * DATA_DIR must be writable whatever the database and storage: the SQLite file and its WAL, the
 * key file, temporary upload files all live there. Checked first, so that a read-only folder is
 * named as such rather than as a database that "cannot be opened".
 */
export function checkDataDirAtStart(dataDir: string): void {
  const probe = path.join(dataDir, `.probe-${randomUUID()}`);
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(probe, 'probe', { flag: 'wx' });
  } catch (error) {
    throw new StartupError(`DATA_DIR ${dataDir} is not writable: ${describeDatabaseError(error)}`, {
      cause: error,
    });
  } finally {
    fs.rmSync(probe, { force: true });
  }
}

/** Opens the database (SQLite opens synchronously, and may throw) with a plain explanation. */
export function openAtStart<T>(config: Pick<Config, 'databaseUrl' | 'dataDir'>, open: () => T): T {
  try {
    return open();
  } catch (error) {
    throw new StartupError(`Cannot open ${whereIs(config)}: ${describeDatabaseError(error)}`, {
      cause: error,
    });
  }
}

export async function checkDatabaseAtStart(
  database: Database,
  config: Pick<Config, 'databaseUrl' | 'dataDir'>,
): Promise<void> {
  try {
    await within(sql`select 1`.execute(database.db), 'the database');
  } catch (error) {
    throw new StartupError(`Cannot reach ${whereIs(config)}: ${describeDatabaseError(error)}`, {
      cause: error,
    });
  }
}

export async function checkStorageAtStart(blobs: Pick<BlobStore, 'check'>): Promise<void> {
  try {
    await within(blobs.check(), 'the file storage');
  } catch (error) {
    throw new StartupError(`The file storage is not usable: ${firstLine(error)}`, {
      cause: error,
    });
  }
}
