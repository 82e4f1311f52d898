import { createHash } from 'node:crypto';
import type pg from 'pg';
import { ERRORS, type Lock, type Locker, type RequestRelease } from '@tus/server';

const RETRY_MS = 100;

/**
 * A tus locker that holds across instances: PostgreSQL advisory locks, each on a connection of
 * its own (advisory locks belong to a session), keyed by a hash of the upload id. An upload
 * continued on another instance waits until this one's request has let go. Within one process
 * the holder is also asked to let go at once (tus's requestRelease), as the memory locker does;
 * across processes the holder finishes its request first.
 */
export class PgAdvisoryLocker implements Locker {
  readonly held = new Map<string, { requestRelease: RequestRelease }>();

  constructor(
    readonly pool: pg.Pool,
    readonly timeoutMs = 30_000,
  ) {}

  newLock(id: string): Lock {
    return new PgAdvisoryLock(id, this);
  }
}

/** Two int4 halves of a SHA-256: the two-key form of pg_try_advisory_lock. */
function lockKeys(id: string): [number, number] {
  const digest = createHash('sha256').update(`tus:${id}`).digest();
  return [digest.readInt32BE(0), digest.readInt32BE(4)];
}

class PgAdvisoryLock implements Lock {
  private client: pg.PoolClient | undefined;

  constructor(
    private readonly id: string,
    private readonly locker: PgAdvisoryLocker,
  ) {}

  async lock(signal: AbortSignal, requestRelease: RequestRelease): Promise<void> {
    const [k1, k2] = lockKeys(this.id);
    const deadline = Date.now() + this.locker.timeoutMs;
    const client = await this.locker.pool.connect();
    let asked = false;
    try {
      for (;;) {
        const { rows } = await client.query<{ ok: boolean }>(
          'select pg_try_advisory_lock($1, $2) as ok',
          [k1, k2],
        );
        if (rows[0]?.ok) {
          this.client = client;
          this.locker.held.set(this.id, { requestRelease });
          return;
        }
        const local = this.locker.held.get(this.id);
        if (local && !asked) {
          asked = true;
          await local.requestRelease();
        }
        if (signal.aborted || Date.now() >= deadline) throw ERRORS.ERR_LOCK_TIMEOUT;
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    } catch (error) {
      client.release();
      throw error;
    }
  }

  async unlock(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.locker.held.delete(this.id);
    if (!client) return;
    const [k1, k2] = lockKeys(this.id);
    try {
      await client.query('select pg_advisory_unlock($1, $2)', [k1, k2]);
      client.release();
    } catch (error) {
      // Dropping the connection ends its session, and with it the lock.
      client.release(error as Error);
    }
  }
}
