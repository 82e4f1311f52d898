import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    assert.equal(c.port, 3000);
    assert.equal(c.host, '127.0.0.1');
    assert.ok(c.dataDir.endsWith('/data'));
    assert.equal(c.databaseUrl, undefined);
  });
  it('uses PostgreSQL when DATABASE_URL says so', () => {
    assert.equal(
      loadConfig({ DATABASE_URL: 'postgres://u@h:5432/db' }).databaseUrl,
      'postgres://u@h:5432/db',
    );
  });
  it('reports every bad value at once, clearly', () => {
    assert.throws(
      () =>
        loadConfig({
          PORT: 'eighty',
          DATABASE_URL: 'mysql://x/y',
          LOG_LEVEL: 'loud',
          SEED_DEMO: 'maybe',
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.problems.length, 4);
        assert.match(error.message, /PORT must be a whole number/);
        assert.match(error.message, /DATABASE_URL must start with postgres:\/\//);
        return true;
      },
    );
    assert.throws(() => loadConfig({ PORT: '70000' }), /PORT must be from 0 to 65535/);
    assert.throws(() => loadConfig({ DATABASE_URL: 'postgres://host' }), /must name a database/);
  });
});
