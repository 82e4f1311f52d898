/**
 * The network's default ICT skills-and-confidence instrument, in the six interface languages:
 * Likert items (1-5) for skills and for confidence, how the person heard of the training, the
 * devices she uses, and one short free-text question. Seeded once, network-wide (organisation
 * null), so every partner can use it as the pre and post survey of its events.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB, SurveyConstruct, SurveyItemKind } from '../../platform/db/schema.js';

export const DEFAULT_INSTRUMENT_SLUG = 'ict-skills-confidence';

type Lang = 'en' | 'ar' | 'fa' | 'fr' | 'ru' | 'es';
type PerLanguage<T> = Record<Lang, T>;

interface SeedItem {
  kind: SurveyItemKind;
  construct?: SurveyConstruct;
  required: boolean;
  prompt: PerLanguage<string>;
  options?: PerLanguage<string[]>;
}

const TITLE: PerLanguage<string> = {
  en: 'ICT skills and confidence',
  ar: 'المهارات الرقمية والثقة',
  fa: 'مهارت‌های دیجیتال و اعتماد به نفس',
  fr: 'Compétences et confiance numériques',
  ru: 'Цифровые навыки и уверенность',
  es: 'Habilidades y confianza digitales',
};

const INTRODUCTION: PerLanguage<string> = {
  en: 'This short survey asks about your digital skills and how confident you feel using them. There are no right or wrong answers. Your answers are confidential and are only reported in groups of at least five people.',
  ar: 'يسألك هذا الاستبيان القصير عن مهاراتك الرقمية ومدى ثقتك في استخدامها. لا توجد إجابات صحيحة أو خاطئة. إجاباتك سرية، ولا تُعرض إلا ضمن مجموعات من خمسة أشخاص على الأقل.',
  fa: 'این پرسشنامهٔ کوتاه دربارهٔ مهارت‌های دیجیتال شما و میزان اعتماد به نفستان در به‌کارگیری آن‌ها می‌پرسد. پاسخ درست یا غلطی وجود ندارد. پاسخ‌های شما محرمانه است و فقط در گروه‌هایی دست‌کم پنج‌نفره گزارش می‌شود.',
  fr: "Ce court questionnaire porte sur vos compétences numériques et sur la confiance avec laquelle vous les utilisez. Il n'y a pas de bonnes ou de mauvaises réponses. Vos réponses sont confidentielles et ne sont présentées que par groupes d'au moins cinq personnes.",
  ru: 'Этот короткий опрос посвящён вашим цифровым навыкам и тому, насколько уверенно вы ими пользуетесь. Правильных и неправильных ответов нет. Ваши ответы конфиденциальны и попадают в отчёты только в группах не менее чем из пяти человек.',
  es: 'Esta breve encuesta pregunta por tus habilidades digitales y por la confianza con que las usas. No hay respuestas correctas ni incorrectas. Tus respuestas son confidenciales y solo se informan en grupos de al menos cinco personas.',
};

const likert = (construct: SurveyConstruct, prompt: PerLanguage<string>): SeedItem => ({
  kind: 'likert',
  construct,
  required: true,
  prompt,
});

export const DEFAULT_ITEMS: readonly SeedItem[] = [
  likert('skills', {
    en: 'I can create strong passwords and use a password manager.',
    ar: 'أستطيع إنشاء كلمات مرور قوية واستخدام مدير كلمات المرور.',
    fa: 'می‌توانم گذرواژه‌های قوی بسازم و از مدیر گذرواژه استفاده کنم.',
    fr: 'Je sais créer des mots de passe robustes et utiliser un gestionnaire de mots de passe.',
    ru: 'Я умею создавать надёжные пароли и пользоваться менеджером паролей.',
    es: 'Sé crear contraseñas seguras y usar un gestor de contraseñas.',
  }),
  likert('skills', {
    en: 'I can protect my accounts with two-step verification.',
    ar: 'أستطيع حماية حساباتي بالتحقق بخطوتين.',
    fa: 'می‌توانم از حساب‌هایم با تأیید دومرحله‌ای محافظت کنم.',
    fr: 'Je sais protéger mes comptes avec la validation en deux étapes.',
    ru: 'Я умею защищать свои аккаунты с помощью двухэтапной проверки.',
    es: 'Sé proteger mis cuentas con la verificación en dos pasos.',
  }),
  likert('skills', {
    en: 'I can find information online and check whether it is reliable.',
    ar: 'أستطيع البحث عن المعلومات عبر الإنترنت والتحقق من موثوقيتها.',
    fa: 'می‌توانم اطلاعات را در اینترنت پیدا کنم و درستی آن را بسنجم.',
    fr: 'Je sais trouver des informations en ligne et vérifier leur fiabilité.',
    ru: 'Я умею находить информацию в интернете и проверять её достоверность.',
    es: 'Sé buscar información en internet y comprobar si es fiable.',
  }),
  likert('skills', {
    en: 'I can use encrypted messaging to communicate safely.',
    ar: 'أستطيع استخدام تطبيقات المراسلة المشفّرة للتواصل بأمان.',
    fa: 'می‌توانم برای ارتباط امن از پیام‌رسان‌های رمزگذاری‌شده استفاده کنم.',
    fr: 'Je sais utiliser une messagerie chiffrée pour communiquer en sécurité.',
    ru: 'Я умею пользоваться мессенджерами с шифрованием для безопасного общения.',
    es: 'Sé usar mensajería cifrada para comunicarme de forma segura.',
  }),
  likert('skills', {
    en: 'I can back up my files and restore them.',
    ar: 'أستطيع نسخ ملفاتي احتياطيًا واستعادتها.',
    fa: 'می‌توانم از فایل‌هایم نسخهٔ پشتیبان بگیرم و آن‌ها را بازیابی کنم.',
    fr: 'Je sais sauvegarder mes fichiers et les restaurer.',
    ru: 'Я умею делать резервные копии своих файлов и восстанавливать их.',
    es: 'Sé hacer copias de seguridad de mis archivos y restaurarlas.',
  }),
  likert('skills', {
    en: 'I can build a simple web page for a campaign.',
    ar: 'أستطيع إنشاء صفحة ويب بسيطة لحملة.',
    fa: 'می‌توانم یک صفحهٔ وب ساده برای یک کارزار بسازم.',
    fr: 'Je sais créer une page web simple pour une campagne.',
    ru: 'Я умею создать простую веб-страницу для кампании.',
    es: 'Sé crear una página web sencilla para una campaña.',
  }),
  likert('confidence', {
    en: 'I feel confident using new apps and online tools.',
    ar: 'أشعر بالثقة عند استخدام التطبيقات والأدوات الإلكترونية الجديدة.',
    fa: 'در استفاده از برنامه‌ها و ابزارهای آنلاین جدید احساس اطمینان می‌کنم.',
    fr: 'Je me sens en confiance pour utiliser de nouvelles applications et de nouveaux outils en ligne.',
    ru: 'Я чувствую себя уверенно, когда пользуюсь новыми приложениями и онлайн-инструментами.',
    es: 'Tengo confianza al usar aplicaciones y herramientas en línea nuevas.',
  }),
  likert('confidence', {
    en: 'I feel confident teaching others a digital skill.',
    ar: 'أشعر بالثقة في تعليم الآخرين مهارة رقمية.',
    fa: 'در آموزش یک مهارت دیجیتال به دیگران احساس اطمینان می‌کنم.',
    fr: "Je me sens en confiance pour enseigner une compétence numérique à d'autres personnes.",
    ru: 'Я чувствую себя уверенно, когда обучаю других цифровому навыку.',
    es: 'Tengo confianza para enseñar una habilidad digital a otras personas.',
  }),
  likert('confidence', {
    en: 'I feel confident speaking about my cause online.',
    ar: 'أشعر بالثقة في التحدث عن قضيتي عبر الإنترنت.',
    fa: 'در سخن گفتن آنلاین دربارهٔ هدفی که برایش فعالیت می‌کنم احساس اطمینان می‌کنم.',
    fr: 'Je me sens en confiance pour parler de ma cause en ligne.',
    ru: 'Я чувствую себя уверенно, когда рассказываю в интернете о деле, которое отстаиваю.',
    es: 'Tengo confianza para hablar en línea sobre la causa que defiendo.',
  }),
  likert('confidence', {
    en: 'I feel confident recognising and avoiding online scams and phishing.',
    ar: 'أشعر بالثقة في التعرّف على عمليات الاحتيال والتصيّد الإلكتروني وتجنّبها.',
    fa: 'در تشخیص کلاه‌برداری‌ها و فیشینگ اینترنتی و دوری از آن‌ها احساس اطمینان می‌کنم.',
    fr: "Je me sens en confiance pour reconnaître et éviter les arnaques et l'hameçonnage en ligne.",
    ru: 'Я чувствую себя уверенно, когда нужно распознать мошенничество и фишинг в интернете и не попасться на них.',
    es: 'Tengo confianza para reconocer y evitar estafas y suplantación de identidad (phishing) en línea.',
  }),
  likert('confidence', {
    en: 'I feel confident solving a technical problem on my own.',
    ar: 'أشعر بالثقة في حل مشكلة تقنية بنفسي.',
    fa: 'در حل یک مشکل فنی به‌تنهایی احساس اطمینان می‌کنم.',
    fr: 'Je me sens en confiance pour résoudre par moi-même un problème technique.',
    ru: 'Я чувствую себя уверенно, когда самостоятельно решаю техническую проблему.',
    es: 'Tengo confianza para resolver por mi cuenta un problema técnico.',
  }),
  {
    kind: 'single',
    required: false,
    prompt: {
      en: 'How did you hear about this training?',
      ar: 'كيف عرفت بهذا التدريب؟',
      fa: 'از کجا دربارهٔ این آموزش باخبر شدید؟',
      fr: 'Comment avez-vous entendu parler de cette formation ?',
      ru: 'Как вы узнали об этом обучении?',
      es: '¿Cómo te enteraste de esta formación?',
    },
    options: {
      en: [
        'From a friend or colleague',
        'On social media',
        "On an organisation's website",
        'Through a partner organisation',
        'Other',
      ],
      ar: [
        'من صديق أو زميل',
        'عبر وسائل التواصل الاجتماعي',
        'من الموقع الإلكتروني لإحدى المنظمات',
        'عن طريق منظمة شريكة',
        'غير ذلك',
      ],
      fa: [
        'از یک دوست یا همکار',
        'در شبکه‌های اجتماعی',
        'در وب‌سایت یک سازمان',
        'از طریق یک سازمان همکار',
        'راه دیگر',
      ],
      fr: [
        'Par un ami ou un collègue',
        'Sur les réseaux sociaux',
        "Sur le site web d'une organisation",
        'Par une organisation partenaire',
        'Autre',
      ],
      ru: [
        'От друга или коллеги',
        'Из социальных сетей',
        'С сайта организации',
        'Через партнёрскую организацию',
        'Другое',
      ],
      es: [
        'Por una amistad o un colega',
        'En las redes sociales',
        'En el sitio web de una organización',
        'A través de una organización asociada',
        'Otro',
      ],
    },
  },
  {
    kind: 'multiple',
    required: false,
    prompt: {
      en: 'Which devices do you use?',
      ar: 'ما الأجهزة التي تستخدمها؟',
      fa: 'از چه دستگاه‌هایی استفاده می‌کنید؟',
      fr: 'Quels appareils utilisez-vous ?',
      ru: 'Какими устройствами вы пользуетесь?',
      es: '¿Qué dispositivos usas?',
    },
    options: {
      en: ['Smartphone', 'Laptop', 'Desktop computer', 'Tablet', 'Basic mobile phone (no apps)'],
      ar: ['هاتف ذكي', 'حاسوب محمول', 'حاسوب مكتبي', 'جهاز لوحي', 'هاتف محمول عادي (بدون تطبيقات)'],
      fa: ['تلفن هوشمند', 'لپ‌تاپ', 'رایانهٔ رومیزی', 'تبلت', 'تلفن همراه ساده (بدون برنامه)'],
      fr: [
        'Smartphone',
        'Ordinateur portable',
        'Ordinateur de bureau',
        'Tablette',
        'Téléphone mobile simple (sans applications)',
      ],
      ru: [
        'Смартфон',
        'Ноутбук',
        'Настольный компьютер',
        'Планшет',
        'Простой мобильный телефон (без приложений)',
      ],
      es: [
        'Teléfono inteligente',
        'Computadora portátil',
        'Computadora de escritorio',
        'Tableta',
        'Teléfono móvil básico (sin aplicaciones)',
      ],
    },
  },
  {
    kind: 'text',
    required: false,
    prompt: {
      en: 'What would you like to learn next, or what will you do with what you have learned?',
      ar: 'ما الذي تودّ تعلّمه بعد ذلك، أو ماذا ستفعل بما تعلّمته؟',
      fa: 'دوست دارید در ادامه چه چیزی یاد بگیرید، یا با آنچه آموختید چه خواهید کرد؟',
      fr: "Qu'aimeriez-vous apprendre ensuite, ou que ferez-vous de ce que vous avez appris ?",
      ru: 'Чему вы хотите научиться дальше или что вы будете делать с тем, чему научились?',
      es: '¿Qué te gustaría aprender ahora, o qué harás con lo que aprendiste?',
    },
  },
];

const LANGS: readonly Lang[] = ['en', 'ar', 'fa', 'fr', 'ru', 'es'];

/**
 * Creates the default instrument unless one with its slug exists; returns its id either way.
 * Safe to call at every start: an existing instrument (perhaps edited by the network) is kept.
 */
export async function seedDefaultInstrument(db: Kysely<DB>, now = new Date()): Promise<string> {
  const existing = await db
    .selectFrom('survey_instruments')
    .select('id')
    .where('slug', '=', DEFAULT_INSTRUMENT_SLUG)
    .executeTakeFirst();
  if (existing) return existing.id;
  const at = now.toISOString();
  const id = randomUUID();
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('survey_instruments')
        .values({
          id,
          slug: DEFAULT_INSTRUMENT_SLUG,
          organisation_id: null,
          created_at: at,
          updated_at: at,
        })
        .execute();
      await trx
        .insertInto('survey_instrument_texts')
        .values(
          LANGS.map((language) => ({
            instrument_id: id,
            language,
            title: TITLE[language],
            introduction: INTRODUCTION[language],
          })),
        )
        .execute();
      for (const [position, item] of DEFAULT_ITEMS.entries()) {
        const itemId = randomUUID();
        await trx
          .insertInto('survey_items')
          .values({
            id: itemId,
            instrument_id: id,
            position,
            kind: item.kind,
            construct: item.construct ?? null,
            option_count: item.options?.en.length ?? 0,
            required: item.required ? 1 : 0,
          })
          .execute();
        await trx
          .insertInto('survey_item_texts')
          .values(
            LANGS.map((language) => ({
              item_id: itemId,
              language,
              prompt: item.prompt[language],
              options: JSON.stringify(item.options?.[language] ?? []),
            })),
          )
          .execute();
      }
    });
  } catch (error) {
    // Two instances starting at once: the other one seeded it first.
    const seeded = await db
      .selectFrom('survey_instruments')
      .select('id')
      .where('slug', '=', DEFAULT_INSTRUMENT_SLUG)
      .executeTakeFirst();
    if (seeded) return seeded.id;
    throw error;
  }
  return id;
}
