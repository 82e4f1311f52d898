/**
 * `learning-center keys status|rotate|reencrypt|retire`: rotating the keys of participants'
 * encrypted fields. Rotate adds a new current key (key file only; with FIELD_KEYS the operator
 * puts the new key first herself), reencrypt moves every ciphertext to it, retire removes an old
 * key once nothing uses it.
 */
import type { Command } from 'commander';
import type { Config } from '../config.js';
import type { Database } from '../platform/db/database.js';

type WithDatabase = <T>(fn: (database: Database, cfg: Config) => Promise<T>) => Promise<T | void>;

export function registerKeyCommands(program: Command, withDatabase: WithDatabase) {
  const keys = program.command('keys').description('Keys of the encrypted personal fields');

  keys
    .command('status')
    .description('Show the current key and how many values each key protects')
    .action(async () => {
      const { loadKeyRing } = await import('../platform/crypto/key-ring.js');
      const { keyUsage } = await import('../features/privacy/encrypted-fields.js');
      await withDatabase(async (database, cfg) => {
        const ring = loadKeyRing(process.env, cfg.dataDir);
        const usage = await keyUsage(database.db);
        console.log(`Keys from ${ring.source}; current: ${ring.current}`);
        for (const id of new Set([...ring.keys.keys(), ...usage.keys()])) {
          console.log(
            `  ${id}: ${usage.get(id) ?? 0} values${ring.keys.has(id) ? '' : ' (KEY MISSING)'}`,
          );
        }
      });
    });

  keys
    .command('rotate')
    .description('Add a new key to the key file and make it current (then run keys reencrypt)')
    .action(async () => {
      const { defaultKeyFile, loadKeyRing, rotateKeyFile } =
        await import('../platform/crypto/key-ring.js');
      const cfg = (await import('../config.js')).loadConfig();
      if (process.env.FIELD_KEYS) {
        throw new Error(
          'Keys come from FIELD_KEYS: add the new key first in that list yourself ("k2:<base64>,k1:<base64>").',
        );
      }
      loadKeyRing(process.env, cfg.dataDir); // creates the default file if there is none yet
      const id = rotateKeyFile(process.env.FIELD_KEYS_FILE?.trim() || defaultKeyFile(cfg.dataDir));
      console.log(
        `New current key: ${id}. Restart the server, then run: learning-center keys reencrypt`,
      );
    });

  keys
    .command('reencrypt')
    .description('Re-encrypt every personal field with the current key')
    .action(async () => {
      const { loadKeyRing } = await import('../platform/crypto/key-ring.js');
      const { FieldCipher } = await import('../platform/crypto/field-encryption.js');
      const { reencryptAll } = await import('../features/privacy/encrypted-fields.js');
      await withDatabase(async (database, cfg) => {
        const cipher = new FieldCipher(loadKeyRing(process.env, cfg.dataDir));
        const count = await reencryptAll(database.db, cipher);
        console.log(`Re-encrypted ${count} values with key ${cipher.currentKeyId}.`);
      });
    });

  keys
    .command('retire <id>')
    .description('Remove a key from the key file once no value uses it')
    .action(async (id: string) => {
      const { defaultKeyFile, retireKeyFromFile } = await import('../platform/crypto/key-ring.js');
      const { keyUsage } = await import('../features/privacy/encrypted-fields.js');
      await withDatabase(async (database, cfg) => {
        const used = (await keyUsage(database.db)).get(id) ?? 0;
        if (used > 0) {
          throw new Error(`Key ${id} still protects ${used} values: run keys reencrypt first.`);
        }
        if (process.env.FIELD_KEYS) {
          console.log(`Nothing uses key ${id}: remove it from FIELD_KEYS.`);
          return;
        }
        retireKeyFromFile(process.env.FIELD_KEYS_FILE?.trim() || defaultKeyFile(cfg.dataDir), id);
        console.log(`Key ${id} removed.`);
      });
    });
}
