/**
 * Control for the drill (security checklist 24): why `backup` never copies the live SQLite
 * files. `cp data.db data.db-wal` copies one file, then the other; the site keeps writing and
 * checkpointing in between. Replayed here step by step (no race, so it fails every time): the
 * copy pairs an old main file with a newer WAL and SQLite finds it malformed, while `VACUUM INTO`
 * at the same moments gives a sound copy.
 */
import { openSqliteFile } from '../../src/platform/db/database.js';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

describe('copying a live SQLite database (control)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-cp-control-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('cp of data.db and data.db-wal under writes is malformed; VACUUM INTO is sound', () => {
    const live = openSqliteFile(path.join(dir, 'data.db'));
    live.pragma('journal_mode = WAL');
    live.pragma('wal_autocheckpoint = 0'); // checkpoints happen where the test says
    live.exec('create table t (id integer primary key, v text); create index t_v on t(v)');
    const insert = live.prepare('insert into t (v) values (?)');
    const write = live.transaction((tag: string) => {
      for (let i = 0; i < 2000; i++) insert.run(`${tag}-${i}-${'x'.repeat(50)}`);
    });
    write('a');
    live.pragma('wal_checkpoint(TRUNCATE)');
    fs.copyFileSync(path.join(dir, 'data.db'), path.join(dir, 'copy.db')); // cp: main file...
    write('b');
    live.pragma('wal_checkpoint(TRUNCATE)');
    write('c');
    fs.copyFileSync(path.join(dir, 'data.db-wal'), path.join(dir, 'copy.db-wal')); // ...then WAL
    live.prepare('VACUUM INTO ?').run(path.join(dir, 'vacuumed.db'));
    live.close();

    const copied = openSqliteFile(path.join(dir, 'copy.db'));
    let copiedState: string;
    try {
      copiedState = String(copied.pragma('integrity_check', { simple: true }));
    } catch (error) {
      copiedState = (error as Error).message;
    } finally {
      copied.close();
    }
    assert.notEqual(copiedState, 'ok');
    assert.match(copiedState, /malformed|btreeInitPage|corrupt/);

    const vacuumed = openSqliteFile(path.join(dir, 'vacuumed.db'), { readonly: true });
    try {
      assert.equal(vacuumed.pragma('integrity_check', { simple: true }), 'ok');
      assert.equal(vacuumed.prepare('select count(*) from t').pluck().get(), 6000);
    } finally {
      vacuumed.close();
    }
  });
});
