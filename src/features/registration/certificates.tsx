/**
 * Certificates of participation: issued by the organisation's staff to participants who
 * completed an event, checkable by anyone with the verification code, rendered as PDF in the
 * certificate's language (right to left for Arabic and Persian) with WeasyPrint.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { render } from 'preact-render-to-string';
import type { FieldCipher } from '../../platform/crypto/field-encryption.js';
import type { DB } from '../../platform/db/schema.js';
import { documentContext } from '../../platform/views/document-context.js';
import { directionOf, isUiLanguage, type UiLanguage } from '../../platform/i18n/languages.js';
import { htmlToPdf } from '../../platform/pdf/html-to-pdf.js';
import { PageContext } from '../../platform/views/context.js';
import { formatEventWhen } from '../events/dates.js';
import { newVerificationCode, normaliseVerificationCode } from './codes.js';
import { describeEvent, type PublicEvent } from './service.js';

/** Messages in the certificate's language, which need not be the page's. */
export function contextIn(lang: UiLanguage): PageContext {
  return documentContext(lang);
}

export interface CertificateFacts {
  id: string;
  verificationCode: string;
  language: UiLanguage;
  issuedAt: string;
  revoked: boolean;
  holder: string;
  event: PublicEvent;
}

/** Everything a certificate shows, with the event title in the certificate's language. */
export async function loadCertificate(
  db: Kysely<DB>,
  cipher: FieldCipher,
  where: { id: string } | { verificationCode: string },
): Promise<CertificateFacts | undefined> {
  let query = db
    .selectFrom('certificates as c')
    .innerJoin('registrations as r', 'r.id', 'c.registration_id')
    .innerJoin('participants as p', 'p.id', 'r.participant_id')
    .select([
      'c.id',
      'c.verification_code',
      'c.language',
      'c.issued_at',
      'c.revoked_at',
      'r.event_id',
      'p.id as participant_id',
      'p.display_name_enc',
    ]);
  query =
    'id' in where
      ? query.where('c.id', '=', where.id)
      : query.where('c.verification_code', '=', where.verificationCode);
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  const event = await db
    .selectFrom('events')
    .selectAll()
    .where('id', '=', row.event_id)
    .executeTakeFirstOrThrow();
  const language = isUiLanguage(row.language) ? row.language : 'en';
  return {
    id: row.id,
    verificationCode: row.verification_code,
    language,
    issuedAt: row.issued_at,
    revoked: row.revoked_at !== null,
    holder: cipher.decrypt(row.display_name_enc, {
      table: 'participants',
      column: 'display_name_enc',
      rowId: row.participant_id,
    }),
    event: await describeEvent(db, event, language),
  };
}

/** Looks a typed verification code up; a malformed one is simply not found. */
export async function verifyCertificate(
  db: Kysely<DB>,
  cipher: FieldCipher,
  typed: string,
): Promise<CertificateFacts | undefined> {
  const code = normaliseVerificationCode(typed);
  if (!code) return undefined;
  return loadCertificate(db, cipher, { verificationCode: code });
}

/** Issues the certificate of a registration (in the caller's transaction); its id. */
export async function issueCertificate(
  trx: Transaction<DB>,
  registrationId: string,
  language: UiLanguage,
  issuedBy: string,
  now: Date,
): Promise<string> {
  const id = randomUUID();
  // 50 random bits: a clash is most unlikely, and the unique index catches it.
  let code = newVerificationCode();
  for (let i = 0; i < 5; i++) {
    const taken = await trx
      .selectFrom('certificates')
      .select('id')
      .where('verification_code', '=', code)
      .executeTakeFirst();
    if (!taken) break;
    code = newVerificationCode();
  }
  await trx
    .insertInto('certificates')
    .values({
      id,
      registration_id: registrationId,
      verification_code: code,
      language,
      issued_at: now.toISOString(),
      issued_by: issuedBy,
      revoked_at: null,
    })
    .execute();
  return id;
}

const PDF_CSS = `
@page{size:A4 landscape;margin:18mm}
html{font-family:"Noto Sans","Noto Naskh Arabic","Noto Sans Arabic",sans-serif;color:#1b1b1f}
body{margin:0}
.frame{border:3px solid #7a1f5c;padding:14mm 16mm;min-height:150mm;text-align:center}
.org{font-size:14pt;color:#50505a;margin:0 0 8mm}
h1{font-size:28pt;color:#7a1f5c;margin:0 0 10mm}
.lead{font-size:13pt;margin:0 0 4mm}
.name{font-size:26pt;font-weight:700;margin:0 0 6mm}
.event{font-size:18pt;font-weight:700;margin:0 0 4mm}
.when{font-size:12pt;margin:0 0 12mm}
.verify{font-size:10pt;color:#50505a;margin:0}
.code{font-family:"Noto Sans Mono","DejaVu Sans Mono",monospace;font-size:13pt;letter-spacing:.08em}
`;

/** The certificate as a complete HTML document in its own language and direction. */
export function certificateHtml(facts: CertificateFacts, origin: string): string {
  const ctx = contextIn(facts.language);
  const dir = directionOf(facts.language);
  const title = facts.event.title;
  const verifyUrl = `${origin}/${facts.language}/certificates/verify`;
  const body = (
    <html lang={facts.language} dir={dir}>
      <head>
        <meta charset="utf-8" />
        <title>{ctx.t('certificate.pdf.heading')}</title>
        <style dangerouslySetInnerHTML={{ __html: PDF_CSS }} />
      </head>
      <body>
        <div class="frame">
          <p class="org">
            <bdi>{facts.event.organisation}</bdi>
          </p>
          <h1>{ctx.t('certificate.pdf.heading')}</h1>
          <p class="lead">{ctx.t('certificate.pdf.certifies')}</p>
          <p class="name">
            <bdi>{facts.holder}</bdi>
          </p>
          <p class="lead">{ctx.t('certificate.pdf.tookPart')}</p>
          <p class="event">
            <bdi lang={title.text.language} dir={title.dir}>
              {title.text.title}
            </bdi>
          </p>
          <p class="when">
            {formatEventWhen(
              facts.language,
              facts.event.event.starts_at,
              facts.event.event.ends_at,
              facts.event.event.time_zone,
            )}
          </p>
          <p class="verify">
            {ctx.t('certificate.pdf.verify')}{' '}
            <bdi class="code" dir="ltr">
              {facts.verificationCode}
            </bdi>
          </p>
          <p class="verify">
            <bdi dir="ltr">{verifyUrl}</bdi>
          </p>
        </div>
      </body>
    </html>
  );
  return `<!doctype html>${render(body)}`;
}

export function certificatePdf(facts: CertificateFacts, origin: string): Promise<Buffer> {
  return htmlToPdf(certificateHtml(facts, origin));
}

/** File name of a certificate download: ASCII only, nothing personal. */
export function certificateFileName(facts: CertificateFacts): string {
  return `certificate-${facts.verificationCode}.pdf`;
}
