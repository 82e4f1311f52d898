/**
 * What the backup commands refuse, and how a damaged backup is caught. The archive format does
 * not depend on the database (the drill runs both dialects), so these run on SQLite only.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { identityToRecipient } from 'age-encryption';
import { ageIdentityOf } from '../../src/features/backup/keys.js';
import { SQLITE_FILE_NAME } from '../../src/platform/db/database.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { addBlob, makeKeyPair, runCli, type CliResult } from './helpers.js';

const NO_STACK = /at .+\.[jt]s:\d+/;

describe('backup files: keys, damage and refusals', () => {
  let t: TestApp;
  let keys: { identityFile: string; recipient: string };
  let otherKeys: { identityFile: string; recipient: string };
  let file: string;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-backup-'));

  before(async () => {
    [t, keys, otherKeys] = await Promise.all([
      buildTestApp('sqlite', { library: 'empty' }),
      makeKeyPair(),
      makeKeyPair({ viaCli: false }),
    ]);
    await addBlob(t.database.db, t.blobs, Buffer.from('a small file, kept in the backup'));
    file = path.join(work, 'site.lcbk');
    const made = await runCli(['backup', '--out', file], {
      DATA_DIR: t.dataDir,
      BACKUP_RECIPIENT: keys.recipient,
    });
    assert.equal(made.status, 0, made.stderr);
  });
  after(async () => {
    await t.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('keygen writes a secret key only its owner can read, in a file age reads', () => {
    assert.equal(fs.statSync(keys.identityFile).mode & 0o777, 0o600);
    assert.match(keys.recipient, /^age1[a-z0-9]{58}$/);
    // Debian's age reads the archive: manifest first, then the database, then the files.
    const listing = execFileSync(
      'sh',
      ['-c', 'age -d -i "$1" "$2" | tar -tf -', 'sh', keys.identityFile, file],
      { encoding: 'utf8' },
    )
      .trim()
      .split('\n');
    assert.equal(listing[0], 'manifest.json');
    assert.equal(listing[1], `database/${SQLITE_FILE_NAME}`);
    assert.equal(listing.length, 3);
    assert.match(listing[2]!, /^blobs\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  });

  it('verify and restore fail clearly on a wrong key, a truncated file, a changed byte', async () => {
    const bytes = fs.readFileSync(file);
    const truncated = path.join(work, 'truncated.lcbk');
    fs.writeFileSync(truncated, bytes.subarray(0, bytes.length - 700));
    const tampered = path.join(work, 'tampered.lcbk');
    const changed = Buffer.from(bytes);
    changed[Math.floor(changed.length / 2)]! ^= 0x01;
    fs.writeFileSync(tampered, changed);
    const fresh = fs.mkdtempSync(path.join(work, 'fresh-'));

    const withKey = { BACKUP_IDENTITY_FILE: keys.identityFile };
    const [wrongKey, cut, flipped, restoreFlipped] = await Promise.all([
      runCli(['backup', 'verify', file], { BACKUP_IDENTITY_FILE: otherKeys.identityFile }),
      runCli(['backup', 'verify', truncated], withKey),
      runCli(['backup', 'verify', tampered], withKey),
      runCli(['restore', tampered], { ...withKey, DATA_DIR: fresh }),
    ]);
    const failed = (r: CliResult, message: RegExp) => {
      assert.equal(r.status, 1, r.stdout + r.stderr);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, NO_STACK);
    };
    failed(wrongKey, /not made for this key/);
    failed(cut, /damaged or incomplete/);
    failed(flipped, /damaged or incomplete/);
    failed(restoreFlipped, /damaged or incomplete/);
    // Nothing half-restored: no database, no file in place, no temporary folder left.
    assert.ok(!fs.existsSync(path.join(fresh, SQLITE_FILE_NAME)));
    const left = fs.readdirSync(fresh, { recursive: true }).map(String);
    assert.deepEqual(
      left.filter((name) => !/^blobs(\/tmp)?$/.test(name)),
      [],
      `left behind: ${left.join(', ')}`,
    );
  });

  it('refuses to back up without a recipient, or to a key made from a field key', async () => {
    const keyFile = JSON.parse(
      fs.readFileSync(path.join(t.dataDir, 'secrets', 'field-keys.json'), 'utf8'),
    ) as { keys: Record<string, string> };
    const fieldKey = Buffer.from(Object.values(keyFile.keys)[0]!, 'base64');
    const derived = await identityToRecipient(ageIdentityOf(fieldKey));
    const out = (name: string) => path.join(work, name);
    const [none, fromFieldKey, occupied] = await Promise.all([
      runCli(['backup', '--out', out('none.lcbk')], { DATA_DIR: t.dataDir, BACKUP_RECIPIENT: '' }),
      runCli(['backup', '--out', out('derived.lcbk')], {
        DATA_DIR: t.dataDir,
        BACKUP_RECIPIENT: derived,
      }),
      runCli(['restore', file], { DATA_DIR: t.dataDir, BACKUP_IDENTITY_FILE: keys.identityFile }),
    ]);
    assert.equal(none.status, 1);
    assert.match(none.stderr, /BACKUP_RECIPIENT is not set/);
    assert.equal(fromFieldKey.status, 1);
    assert.match(fromFieldKey.stderr, /made from one of the field-encryption keys/);
    assert.ok(!fs.existsSync(out('none.lcbk')) && !fs.existsSync(out('derived.lcbk')));
    assert.ok(!fs.existsSync(out('derived.lcbk.tmp')));
    // A restore over a live site is refused, and explains the way out.
    assert.equal(occupied.status, 1);
    assert.match(occupied.stderr, /empty place/);
    assert.match(occupied.stderr, /--force/);
    for (const r of [none, fromFieldKey, occupied]) assert.doesNotMatch(r.stderr, NO_STACK);
  });
});
