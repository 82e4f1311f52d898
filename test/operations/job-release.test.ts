/**
 * Shutdown and the job worker: a job that finishes within the grace period is completed; one that
 * does not is released, queued again at once for any instance, its interrupted attempt not
 * counted, and its late outcome not written over another instance's run.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { enqueueJob, JobWorker } from '../../src/platform/jobs/queue.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/databases.js';

for (const dialect of dialects()) {
  describe(`stopping the job worker (${dialect})`, () => {
    let t: TestApp;
    before(async () => {
      t = await buildTestApp(dialect, { library: 'empty' });
    });
    after(() => t.close());

    const job = (id: string) =>
      t.database.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

    it('lets a running job finish within the grace period', async () => {
      const id = await enqueueJob(t.database.db, 'quick', null);
      let started!: () => void;
      const running = new Promise<void>((resolve) => (started = resolve));
      const worker = new JobWorker(t.database, {
        quick: async () => {
          started();
          await new Promise((r) => setTimeout(r, 200));
        },
      });
      worker.start();
      await running;
      await worker.stop(5000);
      assert.equal((await job(id)).state, 'done');
    });

    it('releases a job still running when the grace period ends, for another run at once', async () => {
      const id = await enqueueJob(t.database.db, 'stuck', null);
      let started!: () => void;
      const running = new Promise<void>((resolve) => (started = resolve));
      let finish!: () => void;
      const worker = new JobWorker(t.database, {
        stuck: () => {
          started();
          return new Promise<void>((resolve) => (finish = resolve));
        },
      });
      worker.start();
      await running;
      assert.equal((await job(id)).state, 'running');
      await worker.stop(100);
      const released = await job(id);
      assert.equal(released.state, 'queued');
      assert.equal(released.attempts, 0, 'the interrupted attempt does not count');
      assert.equal(released.locked_until, null);
      assert.ok(Date.parse(released.run_after) <= Date.now(), 'runnable at once');
      // The handler ending late (the process not yet gone) must not mark the job done.
      finish();
      await new Promise((r) => setTimeout(r, 100));
      assert.equal((await job(id)).state, 'queued');
      await t.database.db.deleteFrom('jobs').where('id', '=', id).execute();
    });
  });
}
