/**
 * A job queue in the database, so that jobs survive a restart and any instance can run them.
 * A claim sets a lease (locked_until); a job whose instance died is claimed again once the lease
 * lapses. PostgreSQL claims with FOR UPDATE SKIP LOCKED, so instances never take the same job;
 * SQLite serialises writers (BEGIN IMMEDIATE), which gives the same guarantee.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { DB, JobTable } from '../db/schema.js';

export const MAX_ATTEMPTS = 3;
/** The default lease (JOB_LEASE_SECONDS): how long a crashed instance's job waits for a taker. */
export const LEASE_MS = 10 * 60_000;

export async function enqueueJob(
  db: Kysely<DB>,
  kind: string,
  fileId: string | null,
  now = new Date(),
): Promise<string> {
  const id = randomUUID();
  const at = now.toISOString();
  await db
    .insertInto('jobs')
    .values({
      id,
      kind,
      file_id: fileId,
      state: 'queued',
      attempts: 0,
      run_after: at,
      locked_until: null,
      last_error: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  return id;
}

/** Takes the oldest runnable job, or a running one whose lease has lapsed; undefined if none. */
export async function claimJob(
  database: Database,
  now = new Date(),
  leaseMs = LEASE_MS,
): Promise<JobTable | undefined> {
  const at = now.toISOString();
  return database.db.transaction().execute(async (trx) => {
    const job = await trx
      .selectFrom('jobs')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb.and([eb('state', '=', 'queued'), eb('run_after', '<=', at)]),
          eb.and([eb('state', '=', 'running'), eb('locked_until', '<', at)]),
        ]),
      )
      .orderBy('run_after')
      .orderBy('id')
      .limit(1)
      .$if(database.dialect === 'postgres', (q) => q.forUpdate().skipLocked())
      .executeTakeFirst();
    if (!job) return undefined;
    const claimed = {
      state: 'running' as const,
      attempts: job.attempts + 1,
      locked_until: new Date(now.getTime() + leaseMs).toISOString(),
      updated_at: at,
    };
    await trx.updateTable('jobs').set(claimed).where('id', '=', job.id).execute();
    return { ...job, ...claimed };
  });
}

export async function completeJob(db: Kysely<DB>, id: string, now = new Date()): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ state: 'done', locked_until: null, last_error: null, updated_at: now.toISOString() })
    .where('id', '=', id)
    .execute();
}

/** Records a failure: the job runs again later (1, then 5 minutes), or fails for good. */
export async function failJob(
  db: Kysely<DB>,
  job: JobTable,
  error: string,
  now = new Date(),
): Promise<void> {
  const final = job.attempts >= MAX_ATTEMPTS;
  const delayMs = job.attempts === 1 ? 60_000 : 5 * 60_000;
  await db
    .updateTable('jobs')
    .set({
      state: final ? 'failed' : 'queued',
      run_after: new Date(now.getTime() + delayMs).toISOString(),
      locked_until: null,
      last_error: error.slice(0, 500),
      updated_at: now.toISOString(),
    })
    .where('id', '=', job.id)
    .execute();
}

/**
 * Gives back a job whose run a shutdown cut short: queued again at once for any instance, and the
 * interrupted attempt is not counted against the job.
 */
export async function releaseJob(db: Kysely<DB>, job: JobTable, now = new Date()): Promise<void> {
  await db
    .updateTable('jobs')
    .set({
      state: 'queued',
      attempts: Math.max(0, job.attempts - 1),
      run_after: now.toISOString(),
      locked_until: null,
      updated_at: now.toISOString(),
    })
    .where('id', '=', job.id)
    .where('state', '=', 'running')
    .execute();
}

/** Extends the claim of a running job, unless another instance has claimed it since. */
export async function renewLease(
  db: Kysely<DB>,
  job: JobTable,
  leaseMs: number,
  now = new Date(),
): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ locked_until: new Date(now.getTime() + leaseMs).toISOString() })
    .where('id', '=', job.id)
    .where('state', '=', 'running')
    .where('attempts', '=', job.attempts)
    .execute();
}

export type JobHandler = (job: JobTable) => Promise<void>;

/**
 * Runs jobs one at a time (conversions are heavy; this machine class has two cores), polling
 * when idle. `runOnce` runs at most one job, for tests and the CLI.
 */
export class JobWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;
  /** The job being run now, and whether shutdown gave it back (then its outcome is not written). */
  private current: { job: JobTable; released: boolean } | undefined;

  constructor(
    private readonly database: Database,
    private readonly handlers: Record<string, JobHandler>,
    private readonly options: {
      pollMs?: number;
      clock?: () => Date;
      log?: (m: string) => void;
      /** How long a claim holds without renewal (JOB_LEASE_SECONDS); renewed while the job runs. */
      leaseMs?: number;
    } = {},
  ) {}

  async runOnce(): Promise<JobTable | undefined> {
    const clock = this.options.clock ?? (() => new Date());
    const leaseMs = this.options.leaseMs ?? LEASE_MS;
    const job = await claimJob(this.database, clock(), leaseMs);
    if (!job) return undefined;
    const handler = this.handlers[job.kind];
    const current = { job, released: false };
    this.current = current;
    // A live instance renews its lease, so a conversion longer than the lease is not taken over;
    // a dead one stops renewing and another instance claims the job once the lease lapses.
    const heartbeat = setInterval(
      () => void renewLease(this.database.db, job, leaseMs, clock()).catch(() => {}),
      Math.max(1000, Math.floor(leaseMs / 3)),
    );
    heartbeat.unref();
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      await handler(job);
      if (!current.released) await completeJob(this.database.db, job.id, clock());
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.options.log?.(`job ${job.kind} ${job.id} failed (attempt ${job.attempts}): ${message}`);
      if (!current.released) await failJob(this.database.db, job, message, clock());
    } finally {
      clearInterval(heartbeat);
      this.current = undefined;
    }
    return job;
  }

  /** Runs every runnable job now; returns how many ran. */
  async drain(): Promise<number> {
    let n = 0;
    while (!this.stopped && (await this.runOnce())) n += 1;
    return n;
  }

  start(): void {
    const poll = async () => {
      if (this.stopped) return;
      this.running = this.drain().catch((e: unknown) =>
        this.options.log?.(`job worker: ${String(e)}`),
      );
      await this.running;
      if (!this.stopped) this.timer = setTimeout(() => void poll(), this.options.pollMs ?? 2000);
    };
    this.timer = setTimeout(() => void poll(), 0);
  }

  /**
   * Takes no new job; the running one gets `graceMs` to finish, after which it is released so
   * that another instance (or this one after a restart) runs it again at once.
   */
  async stop(graceMs = Number.POSITIVE_INFINITY): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (!this.running) return;
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      this.running.then(() => true),
      Number.isFinite(graceMs)
        ? new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)))
        : new Promise<boolean>(() => {}),
    ]);
    clearTimeout(timer);
    const current = this.current;
    if (!finished && current) {
      current.released = true;
      await releaseJob(this.database.db, current.job);
      this.options.log?.(`job ${current.job.kind} ${current.job.id} released for another run`);
    }
  }
}
