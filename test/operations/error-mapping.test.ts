/**
 * What the platform throws when a resource runs out or goes away, mapped to the catalogue: 503
 * (try again) or 507 (disk full); everything else stays a 500.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { operationalError } from '../../src/platform/http/errors.js';
import { StorageUnavailableError } from '../../src/platform/storage/blob-store.js';

const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('operationalError', () => {
  it('maps storage, a busy SQLite and an unreachable PostgreSQL to 503', () => {
    for (const error of [
      new StorageUnavailableError('the bucket does not answer'),
      withCode('SQLITE_BUSY', 'database is locked'),
      withCode('SQLITE_BUSY_SNAPSHOT'),
      withCode('SQLITE_LOCKED'),
      withCode('ECONNREFUSED'),
      withCode('57P01', 'terminating connection due to administrator command'),
      withCode('53300', 'sorry, too many clients already'),
      withCode('08006'),
      new Error('timeout exceeded when trying to connect'),
      new Error('wrapped', { cause: withCode('ECONNRESET') }),
    ]) {
      const mapped = operationalError(error);
      assert.equal(mapped?.code, 'SERVICE_UNAVAILABLE', String(error));
      assert.equal(mapped.status, 503);
    }
  });

  it('maps a full disk to 507, from SQLite or from the file system', () => {
    for (const code of ['SQLITE_FULL', 'ENOSPC', 'EDQUOT']) {
      const mapped = operationalError(withCode(code));
      assert.equal(mapped?.code, 'DISK_FULL');
      assert.equal(mapped.status, 507);
    }
  });

  it('leaves bugs and other failures alone', () => {
    for (const error of [
      new TypeError('x is undefined'),
      withCode('SQLITE_CONSTRAINT_UNIQUE'),
      withCode('23505'),
      withCode('ENOENT'),
      'a string',
      undefined,
    ])
      assert.equal(operationalError(error), undefined);
  });
});
