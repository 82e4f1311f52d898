/**
 * Fixed-window rate limits counted in the database, so that every instance sees the same counts.
 * Keys name what is limited ("login-account:amina"); a client is named by an HMAC of its address
 * with a salt that lives only in this process's memory and changes every day, so the table never
 * holds an address, nor anything that leads back to one once the salt is gone.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

export interface Limit {
  /** Most hits allowed in one window. */
  max: number;
  windowMs: number;
}

export interface LimitState {
  allowed: boolean;
  retryAfterSeconds: number;
}

export class RateLimiter {
  private salt = { day: '', value: Buffer.alloc(0) };

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** A stable, unlinkable name for a client address for today. */
  clientKey(address: string): string {
    const day = this.clock().toISOString().slice(0, 10);
    if (this.salt.day !== day) this.salt = { day, value: randomBytes(32) };
    return createHmac('sha256', this.salt.value).update(address).digest('base64url').slice(0, 22);
  }

  /** Counts one hit against `key` and says whether it is still within the limit. */
  async hit(key: string, limit: Limit): Promise<LimitState> {
    const { windowStart, retryAfterSeconds } = this.window(limit);
    const row = await this.db
      .insertInto('rate_limits')
      .values({ key, window_start: windowStart, count: 1 })
      .onConflict((oc) =>
        oc
          .columns(['key', 'window_start'])
          .doUpdateSet((eb) => ({ count: eb('rate_limits.count', '+', 1) })),
      )
      .returning('count')
      .executeTakeFirstOrThrow();
    if (Number(row.count) === 1) {
      // A new window: forget this key's older ones.
      await this.db
        .deleteFrom('rate_limits')
        .where('key', '=', key)
        .where('window_start', '<', windowStart)
        .execute();
    }
    return { allowed: Number(row.count) <= limit.max, retryAfterSeconds };
  }

  /** Whether `key` is over its limit, without counting a hit. */
  async check(key: string, limit: Limit): Promise<LimitState> {
    const { windowStart, retryAfterSeconds } = this.window(limit);
    const row = await this.db
      .selectFrom('rate_limits')
      .select('count')
      .where('key', '=', key)
      .where('window_start', '=', windowStart)
      .executeTakeFirst();
    return { allowed: Number(row?.count ?? 0) < limit.max, retryAfterSeconds };
  }

  /** Forgets the hits of `key` (after a successful sign-in, say). */
  async reset(key: string): Promise<void> {
    await this.db.deleteFrom('rate_limits').where('key', '=', key).execute();
  }

  private window(limit: Limit) {
    const now = this.clock().getTime();
    const start = Math.floor(now / limit.windowMs) * limit.windowMs;
    return {
      windowStart: new Date(start).toISOString(),
      retryAfterSeconds: Math.max(1, Math.ceil((start + limit.windowMs - now) / 1000)),
    };
  }
}
