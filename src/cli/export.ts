import type { Command } from 'commander';
import type { Config } from '../config.js';
import type { Database } from '../platform/db/database.js';

type WithDatabase = <T>(fn: (database: Database, cfg: Config) => Promise<T>) => Promise<T | void>;

/** `learning-center export zim|bundle`: the library for offline use. */
export function registerExportCommands(_program: Command, _withDatabase: WithDatabase) {}
