/**
 * Fixed-window rate limits counted in the database, so that every instance sees the same counts.
 * Keys name what is limited ("login-account:amina"); a client is named by an HMAC of its address
 * keyed by the day's random salt, so the table never holds an address. The salt lives in the
 * database (rate_limit_salts) so that every instance names a client alike, and is deleted the
 * day after: then nothing leads back to an address. Mixed with a secret from the key ring (the
 * pepper) that is not in the database, a copy of the database alone cannot be tested against
 * candidate addresses even on the day it was taken.
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
  private salt: { day: string; value: Promise<Buffer> } | undefined;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date = () => new Date(),
    private readonly pepper: Buffer = Buffer.alloc(0),
  ) {}

  /** A stable, unlinkable name for a client address for today, the same on every instance. */
  async clientKey(address: string): Promise<string> {
    const day = this.clock().toISOString().slice(0, 10);
    if (this.salt?.day !== day) {
      const value = this.daySalt(day);
      this.salt = { day, value };
      // A failed read (database busy) must not stick: the next request tries again.
      value.catch(() => {
        if (this.salt?.value === value) this.salt = undefined;
      });
    }
    const key = await this.salt.value;
    return createHmac('sha256', key).update(address).digest('base64url').slice(0, 22);
  }

  /** The day's salt: the first instance to need it stores a random one, the others read it. */
  private async daySalt(day: string): Promise<Buffer> {
    await this.db
      .insertInto('rate_limit_salts')
      .values({ day, salt: randomBytes(32).toString('base64url') })
      .onConflict((oc) => oc.column('day').doNothing())
      .execute();
    const row = await this.db
      .selectFrom('rate_limit_salts')
      .select('salt')
      .where('day', '=', day)
      .executeTakeFirstOrThrow();
    // Yesterday's salt may still name clients in windows that straddle midnight; older ones go.
    const yesterday = new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000)
      .toISOString()
      .slice(0, 10);
    await this.db.deleteFrom('rate_limit_salts').where('day', '<', yesterday).execute();
    return createHmac('sha256', this.pepper).update(`rate-limit-salt:${row.salt}`).digest();
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
