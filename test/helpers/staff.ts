/**
 * Staff fixtures and a signed-in HTTP client for workspace tests: two partner organisations and
 * the hub, one account per role in each, and in each partner a draft work and a published work
 * with editions.
 */
import type { Kysely } from 'kysely';
import { generate } from 'otplib';
import { createUser } from '../../src/features/accounts/users.js';
import { CLI_ACTOR } from '../../src/features/audit/log.js';
import { addOrganisation } from '../../src/features/workspace/organisations.js';
import {
  insertEdition,
  insertWork,
  ensureLanguage,
} from '../../src/features/workspace/repository.js';
import { ROLES, type DB, type Role } from '../../src/platform/db/schema.js';

export const PASSWORD = 'correct horse battery staple';
/** The network admin's two-factor secret (network admins must have one). */
export const ADMIN_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

export function totpCode(secret = ADMIN_TOTP_SECRET, at = new Date()): Promise<string> {
  return generate({ secret, epoch: Math.floor(at.getTime() / 1000) });
}

export interface OrgFixture {
  id: string;
  slug: string;
  draftWorkId: string;
  draftEditionId: string;
  publishedWorkId: string;
  publishedEditionId: string;
  /** A draft edition of the published work. */
  draftEditionOfPublishedId: string;
}

export interface StaffFixture {
  hub: { id: string };
  a: OrgFixture;
  b: OrgFixture;
  /** username of the account with `role` in org a or b (network admins are in the hub). */
  user(org: 'a' | 'b', role: Role): string;
}

async function orgWithWorks(db: Kysely<DB>, slug: string): Promise<OrgFixture> {
  const id = await addOrganisation(db, CLI_ACTOR, { slug, name: `Org ${slug}`, kind: 'partner' });
  const now = new Date().toISOString();
  await ensureLanguage(db, 'en');
  await ensureLanguage(db, 'fa');
  const fields = {
    type: 'manual' as const,
    publisher_id: id,
    licence: null,
    year: null,
    original_language: 'en',
  };
  const draftWorkId = await insertWork(db, `${slug}-draft`, fields, now);
  const publishedWorkId = await insertWork(db, `${slug}-published`, fields, now);
  await db
    .updateTable('works')
    .set({ published_at: now })
    .where('id', '=', publishedWorkId)
    .execute();
  const draftEditionId = await insertEdition(
    db,
    {
      workId: draftWorkId,
      language: 'en',
      title: `${slug} draft`,
      summary: null,
      translatedFrom: undefined,
    },
    now,
  );
  const publishedEditionId = await insertEdition(
    db,
    {
      workId: publishedWorkId,
      language: 'en',
      title: `${slug} published`,
      summary: null,
      translatedFrom: undefined,
    },
    now,
  );
  await db
    .updateTable('editions')
    .set({ status: 'published', published_at: now })
    .where('id', '=', publishedEditionId)
    .execute();
  const draftEditionOfPublishedId = await insertEdition(
    db,
    {
      workId: publishedWorkId,
      language: 'fa',
      title: `${slug} پیش‌نویس`,
      summary: null,
      translatedFrom: { id: publishedEditionId, version: 1 },
    },
    now,
  );
  return {
    id,
    slug,
    draftWorkId,
    draftEditionId,
    publishedWorkId,
    publishedEditionId,
    draftEditionOfPublishedId,
  };
}

export async function seedStaff(db: Kysely<DB>): Promise<StaffFixture> {
  const hubId = await addOrganisation(db, CLI_ACTOR, { slug: 'hub', name: 'Hub', kind: 'hub' });
  const a = await orgWithWorks(db, 'org-a');
  const b = await orgWithWorks(db, 'org-b');
  for (const [key, org] of [
    ['a', a],
    ['b', b],
  ] as const) {
    for (const role of ROLES) {
      if (role === 'network_admin') continue;
      await createUser(db, CLI_ACTOR, {
        username: `${role}-${key}`,
        displayName: `${role} ${key}`,
        password: PASSWORD,
        organisationId: org.id,
        role,
      });
    }
  }
  await createUser(db, CLI_ACTOR, {
    username: 'network_admin-hub',
    displayName: 'Network admin',
    password: PASSWORD,
    organisationId: hubId,
    role: 'network_admin',
  });
  await db
    .updateTable('users')
    .set({ totp_secret: ADMIN_TOTP_SECRET, totp_enabled_at: new Date().toISOString() })
    .where('username', '=', 'network_admin-hub')
    .execute();
  return {
    hub: { id: hubId },
    a,
    b,
    user: (org, role) => (role === 'network_admin' ? 'network_admin-hub' : `${role}-${org}`),
  };
}

/** A person in a browser: keeps cookies, reads the CSRF token of the last page, no redirects followed. */
export class StaffClient {
  readonly cookies = new Map<string, string>();
  csrf = '';

  constructor(readonly baseUrl: string) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async get(
    path: string,
    headers: Record<string, string> = {},
  ): Promise<{ response: Response; html: string }> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      redirect: 'manual',
      headers: { cookie: this.cookieHeader(), ...headers },
    });
    this.remember(response);
    const html = await response.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    if (token) this.csrf = token;
    return { response, html };
  }

  async post(
    path: string,
    fields: Record<string, string>,
    options: { headers?: Record<string, string>; csrf?: string | null } = {},
  ): Promise<{ response: Response; html: string }> {
    const body = new URLSearchParams(fields);
    const csrf = options.csrf === undefined ? this.csrf : options.csrf;
    if (csrf !== null) body.set('_csrf', csrf);
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: this.cookieHeader(),
        'content-type': 'application/x-www-form-urlencoded',
        origin: this.baseUrl,
        ...options.headers,
      },
      body,
    });
    this.remember(response);
    const html = await response.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    if (token) this.csrf = token;
    return { response, html };
  }

  /** Signs in with the password (and no second factor); returns the final response. */
  async signIn(username: string, password = PASSWORD) {
    await this.get('/en/login');
    return this.post('/en/login', { username, password, next: '/en/workspace' });
  }
}

export async function signedIn(baseUrl: string, username: string): Promise<StaffClient> {
  const client = new StaffClient(baseUrl);
  const { response } = await client.signIn(username);
  if (response.status !== 303) throw new Error(`sign-in of ${username} failed: ${response.status}`);
  if (response.headers.get('location')?.includes('/login/code')) {
    await client.get(response.headers.get('location')!);
    const code = await client.post('/en/login/code', {
      code: await totpCode(),
      next: '/en/workspace',
    });
    if (code.response.status !== 303) throw new Error(`second factor of ${username} failed`);
  }
  await client.get('/en/workspace');
  return client;
}

/** Row counts of every table: a request that must change nothing leaves these equal. */
export async function tableCounts(db: Kysely<DB>): Promise<Record<string, number>> {
  const tables = [
    'works',
    'editions',
    'users',
    'memberships',
    'audit_log',
    'organisations',
    'languages',
    'curricula',
    'curriculum_texts',
    'curriculum_sessions',
    'curriculum_session_texts',
    'session_activities',
    'session_handouts',
    'events',
    'event_texts',
    'event_agenda_items',
    'event_trainers',
    'participants',
    'registrations',
    'attendance',
    'survey_instruments',
    'survey_items',
    'survey_item_texts',
    'survey_responses',
    'projects',
    'project_members',
    'certificates',
  ] as const;
  const out: Record<string, number> = {};
  for (const t of tables) {
    const row = await db
      .selectFrom(t)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[t] = Number(row.n);
  }
  return out;
}

/** Everything of an organisation's works and editions, to prove a refused request changed nothing. */
export async function snapshotOf(db: Kysely<DB>, organisationId: string): Promise<string> {
  const works = await db
    .selectFrom('works')
    .selectAll()
    .where('publisher_id', '=', organisationId)
    .orderBy('id')
    .execute();
  const editions = await db
    .selectFrom('editions')
    .selectAll()
    .where(
      'work_id',
      'in',
      works.map((w) => w.id),
    )
    .orderBy('id')
    .execute();
  return JSON.stringify({ works, editions });
}
