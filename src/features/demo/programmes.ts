/**
 * The demo programme: a Training-of-Trainers curriculum on the demo digital-safety guide, events
 * of two partner organisations and the hub (past and upcoming), synthetic participants with
 * attendance and pre/post survey answers, advocacy projects and certificates — so that every page,
 * and the impact report's charts, show something real. Names are invented pseudonyms; every
 * personal field is encrypted like real data. Runs once: a second call finds the curriculum and
 * does nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { DateTime } from 'luxon';
import type { DB, EventKind } from '../../platform/db/schema.js';
import type { FieldCipher } from '../../platform/crypto/field-encryption.js';
import { attendanceSlots } from '../programmes/slots.js';
import {
  newParticipantCode,
  newVerificationCode,
  participantCodeIndex,
} from '../registration/codes.js';
import { seedDefaultInstrument } from '../surveys/default-instrument.js';

type Lang = 'en' | 'ar' | 'fa' | 'fr' | 'ru' | 'es';
type Texts<T> = Partial<Record<Lang, T>> & { en: T };

interface DemoSession {
  slug: string;
  minutes: number;
  title: Texts<string>;
  objectives: Texts<string[]>;
  materials: string[];
  notes: string;
  activities: { minutes: number; title: Texts<string>; steps: string[] }[];
}

const CURRICULUM = {
  slug: 'making-it-our-own-tot',
  title: {
    en: 'Making IT Our Own: training of trainers',
    ar: 'التكنولوجيا لنا: تدريب المدرّبات',
    fa: 'فناوری از آنِ ما: تربیت مربی',
    fr: 'La technologie nous appartient : formation de formatrices',
    ru: 'Технологии — наши: подготовка тренеров',
    es: 'La tecnología es nuestra: formación de formadoras',
  } satisfies Texts<string>,
  summary: {
    en: 'Six sessions that prepare trainers to teach digital safety and online advocacy to women and young people in their communities.',
    ar: 'ست جلسات تُعِدّ المدرّبات لتعليم الأمان الرقمي والمناصرة عبر الإنترنت للنساء والشباب في مجتمعاتهن.',
    fa: 'شش جلسه برای آماده‌کردن مربیان تا امنیت دیجیتال و دادخواهی آنلاین را به زنان و جوانان جامعهٔ خود آموزش دهند.',
  } satisfies Texts<string>,
  modules: [
    {
      title: {
        en: 'Foundations of digital safety',
        ar: 'أسس الأمان الرقمي',
        fa: 'مبانی امنیت دیجیتال',
        fr: 'Les bases de la sécurité numérique',
      } satisfies Texts<string>,
      sessions: [
        {
          slug: 'welcome-and-expectations',
          minutes: 60,
          title: {
            en: 'Welcome, expectations and group agreements',
            ar: 'الترحيب والتوقعات واتفاقات المجموعة',
            fa: 'خوشامد، انتظارات و توافق‌های گروه',
            fr: 'Accueil, attentes et règles du groupe',
          },
          objectives: {
            en: [
              'Know each other and the aims of the training',
              'Agree on how we keep each other safe',
            ],
            ar: ['التعارف والتعرف على أهداف التدريب', 'الاتفاق على كيف نحافظ على أمان بعضنا'],
          },
          materials: ['Flip chart and markers', 'Name cards'],
          notes: 'Do not photograph participants without their explicit consent.',
          activities: [
            {
              minutes: 20,
              title: { en: 'Introductions in pairs', ar: 'تعارف في أزواج' },
              steps: ['Form pairs', 'Each person introduces her partner to the group'],
            },
            {
              minutes: 40,
              title: { en: 'Group agreements', ar: 'اتفاقات المجموعة' },
              steps: ['Collect proposals on the flip chart', 'Agree together and display them'],
            },
          ],
        },
        {
          slug: 'threat-modelling',
          minutes: 90,
          title: {
            en: 'Who could harm us online? Threat modelling',
            ar: 'من قد يؤذينا عبر الإنترنت؟ نمذجة المخاطر',
            fa: 'چه کسی می‌تواند آنلاین به ما آسیب بزند؟ مدل‌سازی تهدید',
          },
          objectives: {
            en: ['Name what we protect and from whom', 'Choose the first three protections'],
            ar: ['تحديد ما نحميه وممن', 'اختيار أول ثلاث وسائل حماية'],
          },
          materials: ['Threat-modelling worksheet (handout)', 'Sticky notes'],
          notes: 'Keep examples general; participants may be at real risk.',
          activities: [
            {
              minutes: 30,
              title: { en: 'What do we protect?', ar: 'ماذا نحمي؟' },
              steps: ['List assets on sticky notes', 'Group them on the wall'],
            },
            {
              minutes: 60,
              title: { en: 'Risk map', ar: 'خريطة المخاطر' },
              steps: ['Place each threat by likelihood and harm', 'Discuss the top three'],
            },
          ],
        },
        {
          slug: 'passwords-and-two-step',
          minutes: 90,
          title: {
            en: 'Strong passwords and two-step verification',
            ar: 'كلمات مرور قوية والتحقق بخطوتين',
            fa: 'گذرواژه‌های قوی و تأیید دومرحله‌ای',
            fr: 'Mots de passe robustes et validation en deux étapes',
          },
          objectives: {
            en: ['Create a passphrase', 'Turn on two-step verification on one account'],
            ar: ['إنشاء عبارة مرور', 'تفعيل التحقق بخطوتين على حساب واحد'],
          },
          materials: ['Phones of participants', 'Projector (optional)'],
          notes: 'Never ask to see anyone’s password.',
          activities: [
            {
              minutes: 45,
              title: { en: 'Passphrase game', ar: 'لعبة عبارات المرور' },
              steps: ['Pick four random words with dice', 'Compare strength with a short password'],
            },
            {
              minutes: 45,
              title: { en: 'Hands-on: two-step verification', ar: 'تطبيق عملي: التحقق بخطوتين' },
              steps: ['Open account settings', 'Turn it on and save backup codes offline'],
            },
          ],
        },
      ] satisfies DemoSession[],
    },
    {
      title: {
        en: 'Building our campaigns online',
        ar: 'بناء حملاتنا عبر الإنترنت',
        fa: 'ساختن کارزارهای ما در اینترنت',
        fr: 'Construire nos campagnes en ligne',
      } satisfies Texts<string>,
      sessions: [
        {
          slug: 'secure-messaging',
          minutes: 60,
          title: {
            en: 'Secure messaging for organisers',
            ar: 'المراسلة الآمنة للمنظِّمات',
            fa: 'پیام‌رسانی امن برای سازمان‌دهندگان',
          },
          objectives: {
            en: ['Set disappearing messages', 'Verify a contact’s safety number'],
            ar: ['ضبط الرسائل المختفية', 'التحقق من رقم الأمان لجهة اتصال'],
          },
          materials: ['Phones with an encrypted messenger installed'],
          notes: 'Some participants share phones: discuss what that means.',
          activities: [
            {
              minutes: 60,
              title: { en: 'Practice in small groups', ar: 'تمرين في مجموعات صغيرة' },
              steps: ['Create a group', 'Turn on disappearing messages', 'Verify one member'],
            },
          ],
        },
        {
          slug: 'planning-an-advocacy-website',
          minutes: 120,
          title: {
            en: 'Planning an advocacy website',
            ar: 'التخطيط لموقع مناصرة',
            fa: 'برنامه‌ریزی یک وبسایت دادخواهی',
            fr: 'Planifier un site de plaidoyer',
          },
          objectives: {
            en: ['Define the message and the audience', 'Sketch the pages of a simple site'],
            ar: ['تحديد الرسالة والجمهور', 'رسم صفحات موقع بسيط'],
          },
          materials: ['Paper and pens', 'Example sites printed'],
          notes: 'Sites must not reveal the addresses of shelters or activists.',
          activities: [
            {
              minutes: 40,
              title: { en: 'Message and audience', ar: 'الرسالة والجمهور' },
              steps: ['Write the change you want in one sentence', 'Name who must hear it'],
            },
            {
              minutes: 80,
              title: { en: 'Paper prototype', ar: 'نموذج ورقي' },
              steps: ['Draw the home page', 'Test it with another team'],
            },
          ],
        },
        {
          slug: 'telling-our-stories-safely',
          minutes: 90,
          title: {
            en: 'Telling our stories safely online',
            ar: 'رواية قصصنا بأمان عبر الإنترنت',
          },
          objectives: {
            en: [
              'Decide what to share and what to keep private',
              'Plan a response to online harassment',
            ],
          },
          materials: ['Case studies (handout)'],
          notes: 'Offer a break: the topic can be hard for survivors.',
          activities: [
            {
              minutes: 45,
              title: { en: 'Case studies', ar: 'دراسات حالة' },
              steps: ['Read a case in groups', 'Mark what could identify the storyteller'],
            },
            {
              minutes: 45,
              title: { en: 'Harassment response plan', ar: 'خطة الرد على التحرش' },
              steps: ['List allies to call', 'Document, report, rest'],
            },
          ],
        },
      ] satisfies DemoSession[],
    },
  ],
};

/** Invented pseudonyms, as participants would choose them. */
const NAMES = {
  KE: [
    'Achieng',
    'Wanjiru',
    'Njeri',
    'Akinyi',
    'Wambui',
    'Nafula',
    'Chebet',
    'Atieno',
    'Muthoni',
    'Zawadi',
    'Imani',
    'Neema',
    'Baraka',
    'Amani',
    'Kioko',
    'Makena',
    'Nyokabi',
    'Auma',
    'Jepchirchir',
    'Wairimu',
    'Sanaa',
    'Halima',
    'Rehema',
    'Tumaini',
  ],
  JO: [
    'رنا',
    'لينا',
    'سلمى',
    'هبة',
    'ديما',
    'نور',
    'ريم',
    'دانة',
    'جود',
    'تالا',
    'سارة',
    'ليان',
    'مريم',
    'يارا',
    'رهف',
    'سجى',
    'عبير',
    'أمل',
    'بشرى',
    'فرح',
  ],
  hub: [
    'Amina',
    'Layla',
    'Shirin',
    'Marjan',
    'Olga',
    'Lucía',
    'Fatou',
    'Zainab',
    'Parisa',
    'Nadia',
    'Sofia',
    'Mariam',
  ],
};
const AGE_BANDS = ['under18', '18-24', '25-34', '35-44', '45-54'];
const GENDERS = ['woman', 'woman', 'woman', 'woman', 'man', 'another', null];

/** A small deterministic generator: the demo is the same on every machine. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

export async function seedDemoProgrammes(
  db: Kysely<DB>,
  cipher: FieldCipher,
  now = new Date(),
): Promise<{ created: boolean }> {
  const existing = await db
    .selectFrom('curricula')
    .select('id')
    .where('slug', '=', CURRICULUM.slug)
    .executeTakeFirst();
  if (existing) return { created: false };
  const guide = await db
    .selectFrom('works')
    .select(['id', 'publisher_id'])
    .where('slug', '=', 'digital-safety-basics')
    .executeTakeFirst();
  const organisations = await db.selectFrom('organisations').select(['id', 'slug']).execute();
  const org = (slug: string) => organisations.find((o) => o.slug === slug)?.id;
  const hub = org('learning-center-network');
  const nairobi = org('demo-partner');
  const amman = org('sawa-digital');
  if (!guide || !hub || !nairobi || !amman) return { created: false };
  const instrumentId = await seedDefaultInstrument(db, now);

  await db.transaction().execute(async (trx) => {
    const sessions = await insertCurriculum(trx, guide.id, now);
    const handouts = await trx
      .selectFrom('works')
      .select('id')
      .where('slug', 'in', ['digital-safety-basics', 'your-rights-in-30-articles'])
      .execute();
    for (const [i, w] of handouts.entries()) {
      await trx
        .insertInto('session_handouts')
        .values({ session_id: sessions[1 + i]!.id, work_id: w.id, position: 0 })
        .execute();
    }
    const day = (offset: number) => DateTime.fromJSDate(now).plus({ days: offset });
    const plans: DemoEvent[] = [
      {
        organisationId: nairobi,
        kind: 'workshop',
        country: 'KE',
        zone: 'Africa/Nairobi',
        place: 'Nairobi',
        start: day(-75),
        days: 2,
        capacity: 25,
        people: NAMES.KE,
        languages: ['en', 'sw'],
        title: {
          en: 'Digital safety workshop, Nairobi',
          fr: 'Atelier de sécurité numérique, Nairobi',
        },
        surveys: true,
      },
      {
        organisationId: amman,
        kind: 'tot',
        country: 'JO',
        zone: 'Asia/Amman',
        place: 'عمّان',
        start: day(-40),
        days: 3,
        capacity: 20,
        people: NAMES.JO,
        languages: ['ar'],
        title: { en: 'Training of trainers, Amman', ar: 'تدريب المدرّبات، عمّان' },
        surveys: true,
      },
      {
        organisationId: hub,
        kind: 'festival',
        country: 'JO',
        zone: 'Asia/Amman',
        place: 'Amman',
        start: day(45),
        days: 3,
        capacity: 120,
        people: NAMES.hub,
        languages: ['en', 'ar', 'fa', 'fr'],
        title: {
          en: 'Youth Tech Festival',
          ar: 'مهرجان الشباب للتكنولوجيا',
          fa: 'جشنوارهٔ فناوری جوانان',
          fr: 'Festival tech de la jeunesse',
        },
        surveys: false,
      },
      {
        organisationId: amman,
        kind: 'webinar',
        country: 'JO',
        zone: 'Asia/Amman',
        place: null,
        start: day(12),
        days: 1,
        capacity: 15,
        people: NAMES.JO.slice(0, 6),
        languages: ['ar'],
        title: { en: 'Webinar: secure messaging', ar: 'ندوة عبر الإنترنت: المراسلة الآمنة' },
        surveys: false,
      },
    ];
    const rng = random(20261130);
    for (const [n, plan] of plans.entries()) {
      await insertEvent(trx, cipher, plan, n, sessions, instrumentId, rng, now);
    }
  });
  return { created: true };
}

interface DemoEvent {
  organisationId: string;
  kind: EventKind;
  country: string;
  zone: string;
  place: string | null;
  start: DateTime;
  days: number;
  capacity: number;
  people: string[];
  languages: string[];
  title: Texts<string>;
  surveys: boolean;
}

async function insertCurriculum(trx: Transaction<DB>, workId: string, now: Date) {
  const at = now.toISOString();
  const curriculumId = randomUUID();
  await trx
    .insertInto('curricula')
    .values({
      id: curriculumId,
      slug: CURRICULUM.slug,
      work_id: workId,
      created_at: at,
      updated_at: at,
    })
    .execute();
  for (const [language, title] of Object.entries(CURRICULUM.title)) {
    const summary = (CURRICULUM.summary as Partial<Record<string, string>>)[language] ?? null;
    await trx
      .insertInto('curriculum_texts')
      .values({ curriculum_id: curriculumId, language, title, summary })
      .execute();
  }
  const sessions: { id: string; minutes: number }[] = [];
  for (const [m, module] of CURRICULUM.modules.entries()) {
    const moduleId = randomUUID();
    await trx
      .insertInto('curriculum_modules')
      .values({ id: moduleId, curriculum_id: curriculumId, position: m })
      .execute();
    for (const [language, title] of Object.entries(module.title)) {
      await trx
        .insertInto('curriculum_module_texts')
        .values({ module_id: moduleId, language, title, summary: null })
        .execute();
    }
    for (const [s, session] of (module.sessions as DemoSession[]).entries()) {
      const sessionId = randomUUID();
      sessions.push({ id: sessionId, minutes: session.minutes });
      await trx
        .insertInto('curriculum_sessions')
        .values({
          id: sessionId,
          module_id: moduleId,
          slug: session.slug,
          position: s,
          duration_minutes: session.minutes,
          updated_at: at,
        })
        .execute();
      for (const [language, title] of Object.entries(session.title)) {
        const objectives = (session.objectives as Partial<Record<string, string[]>>)[language];
        await trx
          .insertInto('curriculum_session_texts')
          .values({
            session_id: sessionId,
            language,
            title,
            objectives: (objectives ?? session.objectives.en).join('\n'),
            materials: language === 'en' ? session.materials.join('\n') : '',
            facilitator_notes: language === 'en' ? session.notes : '',
          })
          .execute();
      }
      for (const [a, activity] of session.activities.entries()) {
        const activityId = randomUUID();
        await trx
          .insertInto('session_activities')
          .values({ id: activityId, session_id: sessionId, position: a, minutes: activity.minutes })
          .execute();
        for (const [language, title] of Object.entries(activity.title)) {
          await trx
            .insertInto('session_activity_texts')
            .values({
              activity_id: activityId,
              language,
              title,
              steps: language === 'en' ? activity.steps.join('\n') : '',
            })
            .execute();
        }
      }
    }
  }
  await trx
    .updateTable('curricula')
    .set({ updated_at: at })
    .where('id', '=', curriculumId)
    .execute();
  return sessions.map((s) => ({ ...s, curriculumId }));
}

async function insertEvent(
  trx: Transaction<DB>,
  cipher: FieldCipher,
  plan: DemoEvent,
  n: number,
  sessions: { id: string; minutes: number; curriculumId: string }[],
  instrumentId: string,
  rng: () => number,
  now: Date,
) {
  const at = now.toISOString();
  const id = randomUUID();
  const start = plan.start
    .setZone(plan.zone)
    .set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
  const end = start.plus({ days: plan.days - 1 }).set({ hour: 16 });
  const past = end.toJSDate() < now;
  const event = {
    id,
    slug: `demo-${plan.kind}-${n + 1}`,
    organisation_id: plan.organisationId,
    kind: plan.kind,
    curriculum_id: sessions[0]!.curriculumId,
    starts_at: start.toUTC().toISO()!,
    ends_at: end.toUTC().toISO()!,
    time_zone: plan.zone,
    country: plan.country,
    place: plan.place,
    online_url: plan.place === null ? 'https://meet.example.org/secure-messaging' : null,
    capacity: plan.capacity,
    visibility: 'public' as const,
    invite_token_hash: null,
    attendance_by: 'day' as const,
    pre_instrument_id: plan.surveys ? instrumentId : null,
    post_instrument_id: plan.surveys ? instrumentId : null,
    published_at: at,
    cancelled_at: null,
    created_at: at,
    updated_at: at,
  };
  await trx.insertInto('events').values(event).execute();
  for (const [language, title] of Object.entries(plan.title)) {
    await trx
      .insertInto('event_texts')
      .values({ event_id: id, language, title, description: null })
      .execute();
  }
  for (const language of plan.languages) {
    await trx.insertInto('event_languages').values({ event_id: id, language }).execute();
  }
  // The agenda: the curriculum's sessions spread over the days, with a lunch break.
  const agenda: { id: string; day: string; session_id: string | null }[] = [];
  const perDay = Math.ceil(sessions.length / plan.days);
  for (let d = 0; d < plan.days; d++) {
    const dayIso = start.plus({ days: d }).toISODate()!;
    let clock = start.set({ hour: 9, minute: 30 });
    const todays = sessions.slice(d * perDay, (d + 1) * perDay);
    const items = [
      ...todays
        .slice(0, 2)
        .map((s) => ({ session: s, title: null as string | null, minutes: s.minutes })),
      { session: undefined, title: 'Lunch', minutes: 60 },
      ...todays
        .slice(2)
        .map((s) => ({ session: s, title: null as string | null, minutes: s.minutes })),
    ];
    for (const [p, item] of items.entries()) {
      const itemId = randomUUID();
      await trx
        .insertInto('event_agenda_items')
        .values({
          id: itemId,
          event_id: id,
          day: dayIso,
          start_time: clock.toFormat('HH:mm'),
          position: p,
          session_id: item.session?.id ?? null,
          minutes: item.minutes,
          title: item.title,
        })
        .execute();
      agenda.push({ id: itemId, day: dayIso, session_id: item.session?.id ?? null });
      clock = clock.plus({ minutes: item.minutes });
    }
  }

  // Participants: registered up to capacity, a few more on the waiting list for full events.
  const slots = attendanceSlots(event, agenda);
  let seats = 0;
  const registrations: { id: string; name: string; completed: boolean }[] = [];
  for (const [i, name] of plan.people.entries()) {
    const participantId = randomUUID();
    const registrationId = randomUUID();
    const place = (column: string) => ({ table: 'participants', column, rowId: participantId });
    const ageBand = AGE_BANDS[Math.floor(rng() * AGE_BANDS.length)]!;
    const gender = GENDERS[Math.floor(rng() * GENDERS.length)] ?? null;
    await trx
      .insertInto('participants')
      .values({
        id: participantId,
        code_hmac: participantCodeIndex(cipher, newParticipantCode()).hmac,
        display_name_enc: cipher.encrypt(name, place('display_name_enc')),
        contact_enc: null,
        age_band_enc: cipher.encrypt(ageBand, place('age_band_enc')),
        gender_enc: cipher.encryptOptional(gender, place('gender_enc')),
        consent_contact: rng() < 0.5 ? 1 : 0,
        created_at: at,
      })
      .execute();
    const status = seats < plan.capacity ? 'registered' : 'waitlisted';
    if (status === 'registered') seats++;
    await trx
      .insertInto('registrations')
      .values({
        id: registrationId,
        event_id: id,
        participant_id: participantId,
        status,
        consent_listed: rng() < 0.7 ? 1 : 0,
        consent_photos: rng() < 0.4 ? 1 : 0,
        note_enc: null,
        created_at: DateTime.fromJSDate(now)
          .minus({ days: 100 - i })
          .toUTC()
          .toISO()!,
        updated_at: at,
      })
      .execute();
    if (!past || status !== 'registered') continue;
    let present = 0;
    for (const slot of slots) {
      const here = rng() < 0.85 ? 1 : 0;
      present += here;
      await trx
        .insertInto('attendance')
        .values({
          registration_id: registrationId,
          slot,
          present: here,
          marked_by: null,
          marked_at: end.toUTC().toISO()!,
        })
        .execute();
    }
    registrations.push({ id: registrationId, name, completed: present / slots.length >= 0.75 });
    if (plan.surveys)
      await insertAnswers(trx, cipher, registrationId, instrumentId, rng, start, end);
  }
  await trx.updateTable('events').set({ seats_taken: seats }).where('id', '=', id).execute();

  if (past) {
    for (const r of registrations.filter((x) => x.completed).slice(0, 5)) {
      await trx
        .insertInto('certificates')
        .values({
          id: randomUUID(),
          registration_id: r.id,
          verification_code: newVerificationCode(),
          language: plan.languages[0] === 'ar' ? 'ar' : 'en',
          issued_at: end.toUTC().toISO()!,
          issued_by: null,
          revoked_at: null,
        })
        .execute();
    }
    await insertProjects(trx, id, plan, registrations, n, at);
  }
}

async function insertAnswers(
  trx: Transaction<DB>,
  cipher: FieldCipher,
  registrationId: string,
  instrumentId: string,
  rng: () => number,
  start: DateTime,
  end: DateTime,
) {
  const items = await trx
    .selectFrom('survey_items')
    .select(['id', 'kind', 'option_count'])
    .where('instrument_id', '=', instrumentId)
    .orderBy('position')
    .execute();
  // Most people answer both; some skip the post survey, so pairs are fewer than answers.
  const phases = rng() < 0.85 ? (['pre', 'post'] as const) : (['pre'] as const);
  const base = 1 + Math.floor(rng() * 3);
  for (const phase of phases) {
    const responseId = randomUUID();
    await trx
      .insertInto('survey_responses')
      .values({
        id: responseId,
        registration_id: registrationId,
        phase,
        instrument_id: instrumentId,
        language: 'en',
        submitted_at: (phase === 'pre' ? start.minus({ hours: 1 }) : end.plus({ hours: 1 }))
          .toUTC()
          .toISO()!,
      })
      .execute();
    for (const item of items) {
      if (item.kind === 'likert') {
        const gain = phase === 'post' ? (rng() < 0.8 ? 1 + Math.floor(rng() * 2) : 0) : 0;
        const value = Math.min(5, base + gain + (rng() < 0.3 ? 1 : 0));
        await trx
          .insertInto('survey_answers')
          .values({
            response_id: responseId,
            item_id: item.id,
            value,
            choices: null,
            text_enc: null,
          })
          .execute();
      } else if (item.kind === 'single' && item.option_count > 0) {
        await trx
          .insertInto('survey_answers')
          .values({
            response_id: responseId,
            item_id: item.id,
            value: Math.floor(rng() * item.option_count),
            choices: null,
            text_enc: null,
          })
          .execute();
      } else if (item.kind === 'multiple' && item.option_count > 0) {
        await trx
          .insertInto('survey_answers')
          .values({
            response_id: responseId,
            item_id: item.id,
            value: null,
            choices: JSON.stringify(
              [0, Math.floor(rng() * item.option_count)].filter((v, i, a) => a.indexOf(v) === i),
            ),
            text_enc: null,
          })
          .execute();
      } else if (item.kind === 'text' && phase === 'post') {
        await trx
          .insertInto('survey_answers')
          .values({
            response_id: responseId,
            item_id: item.id,
            value: null,
            choices: null,
            text_enc: cipher.encrypt('Teach my group how to use two-step verification.', {
              table: 'survey_answers',
              column: 'text_enc',
              rowId: `${responseId}/${item.id}`,
            }),
          })
          .execute();
      }
    }
  }
}

const PROJECTS = [
  {
    title: { en: 'Safe Shelter Map', ar: 'خريطة الملاجئ الآمنة' },
    description: {
      en: 'A website listing services for survivors of violence, without revealing any shelter address.',
      ar: 'موقع يعرض الخدمات المتاحة للناجيات من العنف دون كشف عنوان أي ملجأ.',
    },
    link: 'https://example.org/safe-shelter-map',
    topic: 'gender-equality',
  },
  {
    title: { en: 'Girls Code Club', ar: 'نادي البنات للبرمجة' },
    description: {
      en: 'A weekly club where young women teach each other to build web pages for their causes.',
      ar: 'نادٍ أسبوعي تعلّم فيه الشابات بعضهن بناء صفحات الويب لقضاياهن.',
    },
    link: 'https://example.org/girls-code-club',
    topic: 'training',
  },
];

async function insertProjects(
  trx: Transaction<DB>,
  eventId: string,
  plan: DemoEvent,
  registrations: { id: string }[],
  n: number,
  at: string,
) {
  const language = plan.languages[0] === 'ar' ? 'ar' : 'en';
  const project = PROJECTS[n % PROJECTS.length]!;
  const topic = await trx
    .selectFrom('topics')
    .select('id')
    .where('slug', '=', project.topic)
    .executeTakeFirst();
  for (const [k, published] of [true, false].entries()) {
    const id = randomUUID();
    await trx
      .insertInto('projects')
      .values({
        id,
        slug: `demo-project-${n + 1}-${k + 1}`,
        event_id: eventId,
        language,
        title: published ? project.title[language] : `${project.title[language]} (draft)`,
        description: project.description[language],
        link: project.link,
        topic_id: topic?.id ?? null,
        consent_recorded_at: published ? at : null,
        consent_recorded_by: null,
        published_at: published ? at : null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    for (const r of registrations.slice(k * 3, k * 3 + 3)) {
      await trx
        .insertInto('project_members')
        .values({ project_id: id, registration_id: r.id })
        .execute();
    }
  }
}
