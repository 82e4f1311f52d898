/**
 * Signing in and out, and the account pages (password, two-factor, sign out everywhere).
 * Every failure says the same thing whether the username exists or not, and takes as long.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/http/errors.js';
import {
  readerLanguage,
  splitLanguagePrefix,
  type PageRenderer,
} from '../../platform/http/pages.js';
import type { RateLimiter } from '../../platform/http/rate-limit.js';
import { isUiLanguage } from '../../platform/i18n/languages.js';
import { recordAudit } from '../audit/log.js';
import {
  clearSessionCookie,
  cookieOptions,
  LOGIN_CSRF_COOKIE,
  readSessionToken,
  setSessionCookie,
} from './cookies.js';
import { formField, validFormPost } from './csrf.js';
import type { FieldCipher } from '../../platform/crypto/field-encryption.js';
import { staffOf, TWO_FACTOR_PATH, type GuardDeps } from './guard.js';
import { passwordProblem, verifyPassword } from './passwords.js';
import { createSession, endSession, endUserSessions, hashToken, loadSession } from './sessions.js';
import { newTotpSecret, totpUri, verifyTotp } from './totp.js';
import {
  enableTotp,
  findUserById,
  findUserByUsername,
  setPassword,
  openTotpSecret,
  setTotpSecret,
} from './users.js';
import { CodePage, LoginPage, PasswordPage, TwoFactorPage } from './views.js';

const WINDOW_MS = 15 * 60_000;
/** Failed sign-ins per account, whoever tries: stops password guessing from many addresses. */
export const ACCOUNT_LIMIT = { max: 10, windowMs: WINDOW_MS };
/** Sign-in attempts per client: stops one client trying many accounts. */
export const CLIENT_LIMIT = { max: 50, windowMs: WINDOW_MS };

export interface AccountDeps extends GuardDeps {
  pages: PageRenderer;
  limiter: RateLimiter;
  /** Seals and opens two-factor secrets. */
  cipher: FieldCipher;
}

/** Only our own workspace pages may be the target after signing in: no open redirect. */
function safeNext(raw: string | undefined, lang: string): string {
  if (raw && /^\/[a-z]{2}\/workspace(?:[/?][^\\\s]*)?$/.test(raw) && !raw.includes('//'))
    return raw;
  return `/${lang}/workspace`;
}

function langOf(request: FastifyRequest): string {
  const { lang } = splitLanguagePrefix(request.url);
  if (!isUiLanguage(lang)) throw new AppError('NOT_FOUND');
  return lang;
}

/** Routes outside the guard: the sign-in form and the two-factor step, and signing out. */
export function registerSignInRoutes(app: FastifyInstance, deps: AccountDeps) {
  const { db, pages, limiter } = deps;

  const loginForm = (
    request: FastifyRequest,
    reply: FastifyReply,
    options: { status?: number; error?: string; username?: string; next?: string },
  ) => {
    const lang = langOf(request);
    const token = randomBytes(24).toString('base64url');
    reply.setCookie(LOGIN_CSRF_COOKIE, token, {
      ...cookieOptions(request),
      path: `/${lang}/login`,
    });
    return pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: ctx.t('login.heading'),
        body: (
          <LoginPage
            ctx={ctx}
            csrfToken={token}
            next={safeNext(options.next, lang)}
            username={options.username ?? ''}
            error={options.error}
          />
        ),
      }),
      { status: options.status ?? 200 },
    );
  };

  // /login in the reader's language: the cookie she chose, else her browser's languages.
  app.get('/login', (request, reply) => reply.redirect(`/${readerLanguage(request)}/login`, 302));

  app.get('/:lang/login', (request, reply) =>
    loginForm(request, reply, { next: (request.query as { next?: string }).next }),
  );

  app.post('/:lang/login', async (request, reply) => {
    const username = (formField(request, 'username') ?? '').slice(0, 64);
    const password = formField(request, 'password') ?? '';
    const next = formField(request, 'next');
    if (!validFormPost(request, request.cookies[LOGIN_CSRF_COOKIE])) {
      return loginForm(request, reply, { status: 403, error: 'login.expired', username, next });
    }
    const clientKey = `login-client:${await limiter.clientKey(request.ip)}`;
    const accountKey = `login-account:${username.normalize('NFKC').trim().toLowerCase()}`;
    const client = await limiter.hit(clientKey, CLIENT_LIMIT);
    const account = await limiter.check(accountKey, ACCOUNT_LIMIT);
    if (!client.allowed || !account.allowed) {
      reply.header(
        'retry-after',
        String(Math.max(client.retryAfterSeconds, account.retryAfterSeconds)),
      );
      return loginForm(request, reply, { status: 429, error: 'login.tooMany', username, next });
    }
    const user = username ? await findUserByUsername(db, username) : undefined;
    const ok = await verifyPassword(user?.password_hash, password);
    if (!user || !ok || user.disabled_at !== null) {
      await limiter.hit(accountKey, ACCOUNT_LIMIT);
      return loginForm(request, reply, { status: 401, error: 'login.failed', username, next });
    }
    await limiter.reset(accountKey);
    // A fresh session id at every sign-in: a planted cookie is worth nothing (fixation).
    const previous = readSessionToken(request);
    if (previous) await endSession(db, hashToken(previous));
    const pending = user.totp_enabled_at !== null;
    const { token } = await createSession(db, user.id, {
      secondFactorPending: pending,
      now: deps.clock(),
      limits: deps.limits,
    });
    setSessionCookie(request, reply, token);
    reply.clearCookie(LOGIN_CSRF_COOKIE, {
      ...cookieOptions(request),
      path: `/${langOf(request)}/login`,
    });
    const lang = langOf(request);
    const target = safeNext(next, lang);
    return reply.redirect(
      pending ? `/${lang}/login/code?next=${encodeURIComponent(target)}` : target,
      303,
    );
  });

  /** The pending (password-checked) session of a two-factor sign-in. */
  const pendingSession = async (request: FastifyRequest) => {
    const session = await loadSession(db, readSessionToken(request), deps.clock(), deps.limits);
    return session?.secondFactorPending ? session : undefined;
  };

  const codeForm = (
    request: FastifyRequest,
    reply: FastifyReply,
    csrfToken: string,
    next: string | undefined,
    status = 200,
    error?: string,
  ) =>
    pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: ctx.t('login.code.heading'),
        body: (
          <CodePage ctx={ctx} csrfToken={csrfToken} next={safeNext(next, ctx.lang)} error={error} />
        ),
      }),
      { status },
    );

  app.get('/:lang/login/code', async (request, reply) => {
    const session = await pendingSession(request);
    if (!session) return reply.redirect(`/${langOf(request)}/login`, 303);
    return codeForm(
      request,
      reply,
      session.staff.csrfToken,
      (request.query as { next?: string }).next,
    );
  });

  app.post('/:lang/login/code', async (request, reply) => {
    const lang = langOf(request);
    const session = await pendingSession(request);
    if (!session) return reply.redirect(`/${lang}/login`, 303);
    const { staff } = session;
    const next = formField(request, 'next');
    if (!validFormPost(request, staff.csrfToken)) throw new AppError('BAD_FORM_TOKEN');
    const key = `login-code:${staff.userId}`;
    if (!(await limiter.check(key, ACCOUNT_LIMIT)).allowed) {
      return codeForm(request, reply, staff.csrfToken, next, 429, 'login.tooMany');
    }
    const user = await findUserById(db, staff.userId);
    const code = formField(request, 'code') ?? '';
    const secret = user ? openTotpSecret(deps.cipher, user) : null;
    if (!secret || !(await verifyTotp(secret, code, deps.clock()))) {
      await limiter.hit(key, ACCOUNT_LIMIT);
      return codeForm(request, reply, staff.csrfToken, next, 401, 'login.code.failed');
    }
    await limiter.reset(key);
    await endSession(db, staff.sessionHash);
    const fresh = await createSession(db, staff.userId, {
      secondFactorPending: false,
      now: deps.clock(),
      limits: deps.limits,
    });
    setSessionCookie(request, reply, fresh.token);
    return reply.redirect(safeNext(next, lang), 303);
  });

  app.post('/:lang/logout', async (request, reply) => {
    const lang = langOf(request);
    const session = await loadSession(db, readSessionToken(request), deps.clock(), deps.limits);
    if (session) {
      if (!validFormPost(request, session.staff.csrfToken)) throw new AppError('BAD_FORM_TOKEN');
      await endSession(db, session.staff.sessionHash);
    }
    clearSessionCookie(request, reply);
    // Leave nothing behind on a shared or seized device.
    reply.header('clear-site-data', '"cache", "cookies", "storage"');
    return reply.redirect(`/${lang}/`, 303);
  });
}

/** The account pages, inside the guard. */
export function registerAccountRoutes(scope: FastifyInstance, deps: AccountDeps) {
  const { db, pages } = deps;
  const signedIn = (request: FastifyRequest) => {
    const staff = staffOf(request);
    return { displayName: staff.displayName, csrfToken: staff.csrfToken };
  };

  const passwordPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    options: { status?: number; error?: string; done?: boolean } = {},
  ) =>
    pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: ctx.t('account.password.heading'),
        body: (
          <PasswordPage
            ctx={ctx}
            csrfToken={staffOf(request).csrfToken}
            error={options.error}
            done={options.done ?? false}
          />
        ),
      }),
      { status: options.status ?? 200, signedIn: signedIn(request) },
    );

  scope.get('/:lang/workspace/account/password', (request, reply) => passwordPage(request, reply));

  scope.post('/:lang/workspace/account/password', async (request, reply) => {
    const staff = staffOf(request);
    const user = await findUserById(db, staff.userId);
    const current = formField(request, 'current') ?? '';
    const password = formField(request, 'password') ?? '';
    if (!user || !(await verifyPassword(user.password_hash, current))) {
      return passwordPage(request, reply, { status: 400, error: 'account.password.wrongCurrent' });
    }
    const problem = passwordProblem(password, user.username);
    if (problem) return passwordPage(request, reply, { status: 400, error: problem });
    if (password !== formField(request, 'repeat')) {
      return passwordPage(request, reply, { status: 400, error: 'account.password.mismatch' });
    }
    // Every other session ends: whoever knew the old password is signed out.
    await setPassword(
      db,
      { userId: staff.userId, name: staff.username },
      staff.userId,
      password,
      staff.sessionHash,
    );
    return passwordPage(request, reply, { done: true });
  });

  scope.post('/:lang/workspace/account/sign-out-everywhere', async (request, reply) => {
    const staff = staffOf(request);
    await db.transaction().execute(async (trx) => {
      await endUserSessions(trx, staff.userId);
      await recordAudit(
        trx,
        { userId: staff.userId, name: staff.username },
        {
          action: 'user.signOutEverywhere',
          entityType: 'user',
          entityId: staff.userId,
        },
      );
    });
    clearSessionCookie(request, reply);
    reply.header('clear-site-data', '"cache", "cookies", "storage"');
    return reply.redirect(`/${langOf(request)}/login`, 303);
  });

  const twoFactorPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    options: { status?: number; error?: string } = {},
  ) => {
    const staff = staffOf(request);
    const user = await findUserById(db, staff.userId);
    if (!user) throw new AppError('NOT_FOUND');
    let secret = openTotpSecret(deps.cipher, user);
    if (!user.totp_enabled_at && !secret) {
      secret = newTotpSecret();
      await setTotpSecret(db, deps.cipher, user.id, secret);
    }
    return pages.renderPrivate(
      request,
      reply,
      (ctx) => ({
        title: ctx.t('account.twoFactor.heading'),
        body: (
          <TwoFactorPage
            ctx={ctx}
            csrfToken={staff.csrfToken}
            enabled={user.totp_enabled_at !== null}
            secret={secret ?? undefined}
            uri={secret ? totpUri(secret, user.username) : undefined}
            required={staff.memberships.some((m) => m.role === 'network_admin')}
            error={options.error}
          />
        ),
      }),
      { status: options.status ?? 200, signedIn: signedIn(request) },
    );
  };

  scope.get(`/:lang${TWO_FACTOR_PATH}`, (request, reply) => twoFactorPage(request, reply));

  scope.post(`/:lang${TWO_FACTOR_PATH}`, async (request, reply) => {
    const staff = staffOf(request);
    const user = await findUserById(db, staff.userId);
    const secret = user ? openTotpSecret(deps.cipher, user) : null;
    if (!user || !secret || user.totp_enabled_at) return twoFactorPage(request, reply);
    if (!(await verifyTotp(secret, formField(request, 'code') ?? '', deps.clock()))) {
      return twoFactorPage(request, reply, { status: 400, error: 'login.code.failed' });
    }
    await enableTotp(db, { userId: staff.userId, name: staff.username }, staff.userId);
    return reply.redirect(`/${langOf(request)}/workspace`, 303);
  });
}
