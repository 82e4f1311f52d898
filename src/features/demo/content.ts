/**
 * Texts of the demo library, written for it, in the six interface languages. Persian uses its own
 * letters (ی U+06CC, ک U+06A9) and the zero-width non-joiner (written \u200c here so that it stays
 * visible in the source); Arabic uses ي and ك.
 */

export const DEMO_LANGUAGES = ['en', 'ar', 'fa', 'fr', 'ru', 'es'] as const;
export type DemoLanguage = (typeof DEMO_LANGUAGES)[number];
type Texts = Record<DemoLanguage, string>;

const NNBSP = '\u00a0';
/** French puts a no-break space before : ; ? and !. */
function fr(text: string): string {
  return text.replace(/ ([:;?!])/g, `${NNBSP}$1`);
}

export const TOPICS: { slug: string; labels: Texts }[] = [
  {
    slug: 'human-rights',
    labels: {
      en: 'Human rights',
      ar: 'حقوق الإنسان',
      fa: 'حقوق بشر',
      fr: 'Droits humains',
      ru: 'Права человека',
      es: 'Derechos humanos',
    },
  },
  {
    slug: 'digital-safety',
    labels: {
      en: 'Digital safety',
      ar: 'الأمان الرقمي',
      fa: 'امنیت دیجیتال',
      fr: 'Sécurité numérique',
      ru: 'Цифровая безопасность',
      es: 'Seguridad digital',
    },
  },
  {
    slug: 'gender-equality',
    labels: {
      en: 'Gender equality',
      ar: 'المساواة بين الجنسين',
      fa: 'برابری جنسیتی',
      fr: 'Égalité des genres',
      ru: 'Гендерное равенство',
      es: 'Igualdad de género',
    },
  },
  {
    slug: 'training',
    labels: {
      en: 'Training',
      ar: 'التدريب',
      fa: 'آموزش',
      fr: 'Formation',
      ru: 'Обучение',
      es: 'Formación',
    },
  },
];

export const START_HERE = {
  titles: {
    en: 'Start here',
    ar: 'ابدأوا من هنا',
    fa: 'از اینجا شروع کنید',
    fr: 'Pour commencer',
    ru: 'С чего начать',
    es: 'Empieza aquí',
  } satisfies Texts,
  descriptions: {
    en: 'A first selection: the Universal Declaration of Human Rights in hundreds of languages, a short digital-safety guide and a poster to print.',
    ar: 'مجموعة أولى: الإعلان العالمي لحقوق الإنسان بمئات اللغات، ودليل قصير للأمان الرقمي، وملصق للطباعة.',
    fa: 'گزیدهٔ نخست: اعلامیهٔ جهانی حقوق بشر به صدها زبان، راهنمایی کوتاه دربارهٔ امنیت دیجیتال و پوستری برای چاپ.',
    fr: fr(
      'Une première sélection : la Déclaration universelle des droits de l’homme en des centaines de langues, un court guide de sécurité numérique et une affiche à imprimer.',
    ),
    ru: 'Первая подборка: Всеобщая декларация прав человека на сотнях языков, краткое руководство по цифровой безопасности и плакат для печати.',
    es: 'Una primera selección: la Declaración Universal de Derechos Humanos en cientos de idiomas, una breve guía de seguridad digital y un póster para imprimir.',
  } satisfies Texts,
};

// Poster ---------------------------------------------------------------------------------------

export const POSTER_LANGUAGES = ['en', 'fr', 'es'] as const;
export const POSTER: Record<
  (typeof POSTER_LANGUAGES)[number],
  { title: string; summary: string; subtitle: string }
> = {
  en: {
    title: 'Your rights in 30 articles',
    summary:
      'A one-page poster of the Universal Declaration of Human Rights: all 30 articles at a glance, to print and put up on a wall.',
    subtitle:
      'The Universal Declaration of Human Rights, adopted by the United Nations on 10 December 1948',
  },
  fr: {
    title: 'Vos droits en 30 articles',
    summary: fr(
      'Une affiche d’une page sur la Déclaration universelle des droits de l’homme : les 30 articles d’un coup d’œil, à imprimer et à afficher au mur.',
    ),
    subtitle:
      'La Déclaration universelle des droits de l’homme, adoptée par les Nations unies le 10 décembre 1948',
  },
  es: {
    title: 'Tus derechos en 30 artículos',
    summary:
      'Un póster de una página con la Declaración Universal de Derechos Humanos: los 30 artículos de un vistazo, para imprimir y colgar en la pared.',
    subtitle:
      'La Declaración Universal de Derechos Humanos, adoptada por las Naciones Unidas el 10 de diciembre de 1948',
  },
};

// Video ----------------------------------------------------------------------------------------

export const VIDEO_EDITIONS: Partial<Record<DemoLanguage, { title: string; summary: string }>> = {
  en: {
    title: 'Demo video: colour bars and test tone',
    summary:
      'A 12-second generated test pattern with sound and subtitles in six languages. Use it to check that video, audio and subtitles play on your device.',
  },
  ar: {
    title: 'فيديو تجريبي: أشرطة الألوان ونغمة الاختبار',
    summary:
      'نمط اختبار مُولَّد مدته ١٢ ثانية، مع صوت وترجمة بست لغات. استخدموه للتحقق من أن الفيديو والصوت والترجمة تعمل على أجهزتكم.',
  },
  fa: {
    title: 'ویدیوی نمایشی: نوارهای رنگی و صدای آزمایشی',
    summary:
      'یک الگوی آزمایشی ۱۲ ثانیه\u200cای با صدا و زیرنویس به شش زبان. با آن بررسی کنید که ویدیو، صدا و زیرنویس روی دستگاهتان پخش می\u200cشوند.',
  },
};

/** Five cues of 2.4 s each over the 12-second test pattern. */
export const VIDEO_CUES: Record<DemoLanguage, string[]> = {
  en: [
    'This is a test pattern made for the demo library.',
    'Look at the colour bars: each colour should be clear and bright.',
    'The rainbow line and the small squares move: the motion should be smooth.',
    'Top left, the clock shows the playing time and the frame number.',
    'You should hear a steady tone with a short beep every second.',
  ],
  ar: [
    'هذا نمط اختبار أُعدّ للمكتبة التجريبية.',
    'انظروا إلى أشرطة الألوان: يجب أن يكون كل لون واضحًا وزاهيًا.',
    'يتحرك خط قوس قزح والمربعات الصغيرة، ويجب أن تكون الحركة سلسة.',
    'في الأعلى على اليسار، تعرض الساعة وقت التشغيل ورقم الإطار.',
    'يجب أن تسمعوا نغمة ثابتة مع صفّارة قصيرة كل ثانية.',
  ],
  fa: [
    'این یک الگوی آزمایشی است که برای کتابخانهٔ نمایشی ساخته شده است.',
    'به نوارهای رنگی نگاه کنید: هر رنگ باید روشن و واضح باشد.',
    'خط رنگین\u200cکمانی و مربع\u200cهای کوچک حرکت می\u200cکنند؛ حرکت باید نرم و روان باشد.',
    'در بالا سمت چپ، ساعت زمان پخش و شمارهٔ فریم را نشان می\u200cدهد.',
    'باید صدایی یکنواخت با یک بوق کوتاه در هر ثانیه بشنوید.',
  ],
  fr: [
    'Voici une mire de test créée pour la bibliothèque de démonstration.',
    fr('Regardez les barres de couleur : chaque couleur doit être nette et vive.'),
    fr('La ligne arc-en-ciel et les petits carrés bougent : le mouvement doit être fluide.'),
    'En haut à gauche, l’horloge indique le temps de lecture et le numéro d’image.',
    'Vous devez entendre un son continu avec un bip court chaque seconde.',
  ],
  ru: [
    'Это тестовая таблица, созданная для демонстрационной библиотеки.',
    'Посмотрите на цветные полосы: каждый цвет должен быть чётким и ярким.',
    'Радужная линия и маленькие квадраты движутся: движение должно быть плавным.',
    'В левом верхнем углу часы показывают время воспроизведения и номер кадра.',
    'Вы должны слышать ровный тон с коротким сигналом каждую секунду.',
  ],
  es: [
    'Esta es una carta de ajuste creada para la biblioteca de demostración.',
    'Mira las barras de color: cada color debe verse nítido y vivo.',
    'La línea arcoíris y los cuadraditos se mueven: el movimiento debe ser fluido.',
    'Arriba a la izquierda, el reloj muestra el tiempo de reproducción y el número de fotograma.',
    'Deberías oír un tono continuo con un pitido corto cada segundo.',
  ],
};

// Digital-safety guide -------------------------------------------------------------------------

interface Guide {
  title: string;
  summary: string;
  intro: string;
  passphrases: { heading: string; body: string[] };
  updates: { heading: string; body: string[] };
  twoFactor: { heading: string; body: string[] };
  sharedDevices: { heading: string; items: string[] };
  backups: { heading: string; body: string[] };
  closing: string;
}

const GUIDES: Record<DemoLanguage, Guide> = {
  en: {
    title: 'Digital safety basics for activists',
    summary:
      'Five habits that protect you, your contacts and your work: passphrases, updates, two-factor authentication, shared devices and backups.',
    intro:
      'Most attacks on activists are not sophisticated. They rely on guessed passwords, outdated phones and devices left unlocked. These five habits close the most common doors, and none of them costs money.',
    passphrases: {
      heading: '1. Use long passphrases',
      body: [
        'A passphrase of four or five random words (for example, chosen by rolling dice) is easier to remember and much harder to guess than a short password full of symbols. Use a different passphrase for every important account: when one service is breached, attackers try the same password everywhere else.',
        'A password manager (such as KeePassXC or Bitwarden) can remember them for you. Then you only need to remember one strong passphrase.',
      ],
    },
    updates: {
      heading: '2. Install updates promptly',
      body: [
        'Updates fix security holes that attackers already know about. Turn on automatic updates for your phone, computer, browser and messaging apps, and install updates as soon as they are offered. A phone that no longer receives updates should not be used for sensitive work.',
      ],
    },
    twoFactor: {
      heading: '3. Turn on two-factor authentication',
      body: [
        'Two-factor authentication (2FA) asks for a second proof besides your password, so a stolen password alone is not enough. Prefer an authenticator app or a security key to codes sent by SMS, which can be intercepted or redirected. Write down the backup codes and keep them somewhere safe, away from your phone.',
      ],
    },
    sharedDevices: {
      heading: '4. Be careful with shared devices',
      items: [
        'Lock your phone and computer with a PIN or passphrase, and set them to lock automatically after a short time.',
        'On a shared or public computer, use a private browsing window, never save passwords, and sign out when you finish.',
        'Check regularly which devices are signed in to your email and messaging accounts, and remove any you do not recognise.',
        'If someone else has had your phone, look for apps you did not install yourself: some are made to spy on you.',
      ],
    },
    backups: {
      heading: '5. Keep backups',
      body: [
        'Phones get lost, broken or confiscated. Back up your important files and contacts regularly to an encrypted drive or a trusted encrypted service, and keep one copy in another place. From time to time, check that you can really restore your files.',
      ],
    },
    closing:
      'Digital safety is a habit a group shares: agree on these practices with the people you work with. If you think one of your accounts or devices has been compromised, ask a trusted digital-security helpline for help.',
  },
  fr: {
    title: 'Les bases de la sécurité numérique pour les militantes et militants',
    summary: fr(
      'Cinq habitudes qui vous protègent, vous, vos contacts et votre travail : phrases de passe, mises à jour, authentification à deux facteurs, appareils partagés et sauvegardes.',
    ),
    intro:
      'La plupart des attaques contre les militantes et militants ne sont pas sophistiquées. Elles reposent sur des mots de passe devinés, des téléphones qui ne sont plus à jour et des appareils laissés déverrouillés. Ces cinq habitudes ferment les portes les plus courantes, et aucune ne coûte d’argent.',
    passphrases: {
      heading: '1. Utilisez de longues phrases de passe',
      body: [
        fr(
          'Une phrase de passe de quatre ou cinq mots tirés au hasard (par exemple avec des dés) est plus facile à retenir et bien plus difficile à deviner qu’un mot de passe court rempli de symboles. Utilisez une phrase de passe différente pour chaque compte important : quand un service est piraté, les attaquants essaient le même mot de passe partout ailleurs.',
        ),
        'Un gestionnaire de mots de passe (comme KeePassXC ou Bitwarden) peut les retenir pour vous. Vous n’avez alors plus qu’une seule phrase de passe solide à mémoriser.',
      ],
    },
    updates: {
      heading: '2. Installez les mises à jour sans attendre',
      body: [
        'Les mises à jour corrigent des failles de sécurité que les attaquants connaissent déjà. Activez les mises à jour automatiques de votre téléphone, de votre ordinateur, de votre navigateur et de vos messageries, et installez-les dès qu’elles sont proposées. Un téléphone qui ne reçoit plus de mises à jour ne devrait pas servir au travail sensible.',
      ],
    },
    twoFactor: {
      heading: '3. Activez l’authentification à deux facteurs',
      body: [
        fr(
          'L’authentification à deux facteurs (2FA) demande une deuxième preuve en plus du mot de passe : un mot de passe volé ne suffit donc plus. Préférez une application d’authentification ou une clé de sécurité aux codes reçus par SMS, qui peuvent être interceptés ou détournés. Notez les codes de secours et gardez-les en lieu sûr, loin de votre téléphone.',
        ),
      ],
    },
    sharedDevices: {
      heading: '4. Méfiez-vous des appareils partagés',
      items: [
        'Verrouillez votre téléphone et votre ordinateur avec un code PIN ou une phrase de passe, et réglez-les pour qu’ils se verrouillent automatiquement après un court délai.',
        'Sur un ordinateur partagé ou public, utilisez une fenêtre de navigation privée, n’enregistrez jamais de mot de passe et déconnectez-vous à la fin.',
        'Vérifiez régulièrement quels appareils sont connectés à vos comptes de courriel et de messagerie, et supprimez ceux que vous ne reconnaissez pas.',
        fr(
          'Si quelqu’un d’autre a eu votre téléphone entre les mains, cherchez les applications que vous n’avez pas installées vous-même : certaines sont conçues pour vous espionner.',
        ),
      ],
    },
    backups: {
      heading: '5. Faites des sauvegardes',
      body: [
        'Les téléphones se perdent, se cassent ou sont confisqués. Sauvegardez régulièrement vos fichiers et contacts importants sur un disque chiffré ou un service chiffré de confiance, et gardez une copie dans un autre lieu. Vérifiez de temps en temps que vous pouvez réellement restaurer vos fichiers.',
      ],
    },
    closing: fr(
      'La sécurité numérique est une habitude collective : mettez-vous d’accord sur ces pratiques avec les personnes avec qui vous travaillez. Si vous pensez qu’un de vos comptes ou appareils a été compromis, demandez de l’aide à une ligne d’assistance en sécurité numérique de confiance.',
    ),
  },
  es: {
    title: 'Nociones básicas de seguridad digital para activistas',
    summary:
      'Cinco hábitos que te protegen a ti, a tus contactos y tu trabajo: frases de contraseña, actualizaciones, verificación en dos pasos, dispositivos compartidos y copias de seguridad.',
    intro:
      'La mayoría de los ataques contra activistas no son sofisticados. Se basan en contraseñas adivinadas, teléfonos sin actualizar y dispositivos que se dejan desbloqueados. Estos cinco hábitos cierran las puertas más comunes, y ninguno cuesta dinero.',
    passphrases: {
      heading: '1. Usa frases de contraseña largas',
      body: [
        'Una frase de contraseña de cuatro o cinco palabras elegidas al azar (por ejemplo, tirando dados) es más fácil de recordar y mucho más difícil de adivinar que una contraseña corta llena de símbolos. Usa una frase distinta para cada cuenta importante: cuando se filtra un servicio, los atacantes prueban la misma contraseña en todos los demás.',
        'Un gestor de contraseñas (como KeePassXC o Bitwarden) puede recordarlas por ti. Así solo necesitas memorizar una frase de contraseña fuerte.',
      ],
    },
    updates: {
      heading: '2. Instala las actualizaciones enseguida',
      body: [
        'Las actualizaciones corrigen fallos de seguridad que los atacantes ya conocen. Activa las actualizaciones automáticas del teléfono, la computadora, el navegador y las aplicaciones de mensajería, e instálalas en cuanto estén disponibles. Un teléfono que ya no recibe actualizaciones no debería usarse para trabajo delicado.',
      ],
    },
    twoFactor: {
      heading: '3. Activa la verificación en dos pasos',
      body: [
        'La verificación en dos pasos (2FA) pide una segunda prueba además de la contraseña, de modo que una contraseña robada no basta. Prefiere una aplicación de autenticación o una llave de seguridad a los códigos por SMS, que pueden ser interceptados o desviados. Anota los códigos de respaldo y guárdalos en un lugar seguro, lejos del teléfono.',
      ],
    },
    sharedDevices: {
      heading: '4. Cuidado con los dispositivos compartidos',
      items: [
        'Bloquea el teléfono y la computadora con un PIN o una frase de contraseña, y configúralos para que se bloqueen solos al poco tiempo.',
        'En una computadora compartida o pública, usa una ventana de navegación privada, no guardes nunca contraseñas y cierra la sesión al terminar.',
        'Revisa con frecuencia qué dispositivos tienen la sesión abierta en tu correo y tus aplicaciones de mensajería, y elimina los que no reconozcas.',
        'Si otra persona ha tenido tu teléfono, busca aplicaciones que no hayas instalado tú: algunas están hechas para espiarte.',
      ],
    },
    backups: {
      heading: '5. Haz copias de seguridad',
      body: [
        'Los teléfonos se pierden, se rompen o son confiscados. Haz copias de seguridad periódicas de tus archivos y contactos importantes en un disco cifrado o en un servicio cifrado de confianza, y guarda una copia en otro lugar. Comprueba de vez en cuando que realmente puedes restaurar tus archivos.',
      ],
    },
    closing:
      'La seguridad digital es un hábito colectivo: acuerda estas prácticas con las personas con quienes trabajas. Si crees que una de tus cuentas o uno de tus dispositivos ha sido comprometido, pide ayuda a una línea de asistencia en seguridad digital de confianza.',
  },
  ru: {
    title: 'Основы цифровой безопасности для активисток и активистов',
    summary:
      'Пять привычек, которые защищают вас, ваши контакты и вашу работу: парольные фразы, обновления, двухфакторная аутентификация, общие устройства и резервные копии.',
    intro:
      'Большинство атак на активистов не отличаются изощрённостью. Они держатся на угаданных паролях, необновлённых телефонах и незаблокированных устройствах. Эти пять привычек закрывают самые распространённые лазейки, и ни одна из них не стоит денег.',
    passphrases: {
      heading: '1. Используйте длинные парольные фразы',
      body: [
        'Парольную фразу из четырёх-пяти случайных слов (например, выбранных броском игральных костей) легче запомнить и гораздо труднее подобрать, чем короткий пароль со спецсимволами. Для каждой важной учётной записи используйте свою фразу: когда один сервис взламывают, злоумышленники пробуют тот же пароль везде.',
        'Менеджер паролей (например, KeePassXC или Bitwarden) может хранить их за вас. Тогда вам нужно помнить только одну надёжную парольную фразу.',
      ],
    },
    updates: {
      heading: '2. Устанавливайте обновления без промедления',
      body: [
        'Обновления закрывают уязвимости, о которых злоумышленники уже знают. Включите автоматические обновления на телефоне, компьютере, в браузере и мессенджерах и устанавливайте их, как только они появляются. Телефон, который больше не получает обновлений, не стоит использовать для важной работы.',
      ],
    },
    twoFactor: {
      heading: '3. Включите двухфакторную аутентификацию',
      body: [
        'Двухфакторная аутентификация (2FA) требует второго подтверждения помимо пароля, поэтому одного украденного пароля недостаточно. Выбирайте приложение-аутентификатор или аппаратный ключ, а не коды из SMS: их можно перехватить или перенаправить. Запишите резервные коды и храните их в надёжном месте, отдельно от телефона.',
      ],
    },
    sharedDevices: {
      heading: '4. Осторожно с общими устройствами',
      items: [
        'Защитите телефон и компьютер PIN-кодом или парольной фразой и настройте автоматическую блокировку через короткое время.',
        'На общем или публичном компьютере пользуйтесь приватным окном браузера, никогда не сохраняйте пароли и выходите из учётных записей, закончив работу.',
        'Регулярно проверяйте, какие устройства подключены к вашей почте и мессенджерам, и отключайте те, которых вы не узнаёте.',
        'Если ваш телефон побывал в чужих руках, поищите приложения, которые вы не устанавливали сами: некоторые из них созданы для слежки.',
      ],
    },
    backups: {
      heading: '5. Делайте резервные копии',
      body: [
        'Телефоны теряют, ломают и изымают. Регулярно копируйте важные файлы и контакты на зашифрованный диск или в надёжный зашифрованный сервис и храните одну копию в другом месте. Время от времени проверяйте, что файлы действительно можно восстановить.',
      ],
    },
    closing:
      'Цифровая безопасность — это общая привычка группы: договоритесь об этих правилах с теми, с кем вы работаете. Если вы думаете, что ваша учётная запись или устройство взломаны, обратитесь за помощью на проверенную горячую линию по цифровой безопасности.',
  },
  ar: {
    title: 'أساسيات الأمان الرقمي للناشطات والناشطين',
    summary:
      'خمس عادات تحميكم وتحمي جهات اتصالكم وعملكم: عبارات المرور، والتحديثات، والتحقق بخطوتين، والأجهزة المشتركة، والنسخ الاحتياطية.',
    intro:
      'معظم الهجمات على الناشطات والناشطين ليست معقدة، فهي تعتمد على كلمات مرور يسهل تخمينها، وهواتف لم تُحدَّث، وأجهزة تُترك دون قفل. هذه العادات الخمس تغلق أكثر الأبواب شيوعًا، ولا تكلّف أيٌّ منها مالًا.',
    passphrases: {
      heading: '١. استخدموا عبارات مرور طويلة',
      body: [
        'عبارة المرور المكوّنة من أربع أو خمس كلمات عشوائية (تُختار مثلًا برمي النرد) أسهل في التذكّر وأصعب بكثير في التخمين من كلمة مرور قصيرة مليئة بالرموز. استخدموا عبارة مختلفة لكل حساب مهم، فعندما يُخترق أحد المواقع يجرّب المهاجمون كلمة المرور نفسها في كل مكان آخر.',
        'يمكن لمدير كلمات المرور (مثل KeePassXC أو Bitwarden) أن يحفظها عنكم، فلا تحتاجون إلا إلى تذكّر عبارة مرور قوية واحدة.',
      ],
    },
    updates: {
      heading: '٢. ثبّتوا التحديثات فور صدورها',
      body: [
        'تسدّ التحديثات ثغرات أمنية يعرفها المهاجمون بالفعل. فعّلوا التحديث التلقائي للهاتف والحاسوب والمتصفح وتطبيقات المراسلة، وثبّتوا التحديثات حال توفرها. أما الهاتف الذي لم يعد يتلقى تحديثات فلا ينبغي استخدامه في العمل الحساس.',
      ],
    },
    twoFactor: {
      heading: '٣. فعّلوا التحقق بخطوتين',
      body: [
        'يطلب التحقق بخطوتين (2FA) إثباتًا ثانيًا إلى جانب كلمة المرور، فلا تكفي كلمة مرور مسروقة وحدها. فضّلوا تطبيق مصادقة أو مفتاح أمان على الرموز المرسلة في رسائل نصية قصيرة، لأنه يمكن اعتراضها أو تحويلها. دوّنوا رموز الاسترداد واحفظوها في مكان آمن بعيدًا عن الهاتف.',
      ],
    },
    sharedDevices: {
      heading: '٤. احذروا الأجهزة المشتركة',
      items: [
        'اقفلوا الهاتف والحاسوب برمز PIN أو بعبارة مرور، واضبطوهما على القفل التلقائي بعد وقت قصير.',
        'على حاسوب مشترك أو عام، استخدموا نافذة تصفح خاصة، ولا تحفظوا كلمات المرور أبدًا، وسجّلوا الخروج عند الانتهاء.',
        'راجعوا بانتظام الأجهزة المتصلة ببريدكم الإلكتروني وتطبيقات المراسلة، واحذفوا أي جهاز لا تعرفونه.',
        'إذا وقع هاتفكم في يد شخص آخر، فابحثوا عن تطبيقات لم تثبّتوها بأنفسكم، فبعضها مصمَّم للتجسس عليكم.',
      ],
    },
    backups: {
      heading: '٥. احتفظوا بنسخ احتياطية',
      body: [
        'الهواتف تضيع أو تتعطل أو تُصادَر. انسخوا ملفاتكم وجهات اتصالكم المهمة بانتظام إلى قرص مشفّر أو خدمة مشفّرة موثوقة، واحفظوا نسخة في مكان آخر، وتأكدوا من حين لآخر أنكم قادرون فعلًا على استعادة ملفاتكم.',
      ],
    },
    closing:
      'الأمان الرقمي عادة جماعية: اتفقوا على هذه الممارسات مع من تعملون معهم. وإذا ظننتم أن أحد حساباتكم أو أجهزتكم قد اختُرق، فاطلبوا المساعدة من خط مساعدة موثوق في مجال الأمان الرقمي.',
  },
  fa: {
    title: 'مبانی امنیت دیجیتال برای فعالان',
    summary:
      'پنج عادت که از شما، مخاطبانتان و کارتان محافظت می\u200cکند: عبارت\u200cهای عبور، به\u200cروزرسانی\u200cها، احراز هویت دومرحله\u200cای، دستگاه\u200cهای مشترک و پشتیبان\u200cگیری.',
    intro:
      'بیشتر حمله\u200cها به فعالان پیچیده نیستند. آن\u200cها به گذرواژه\u200cهای حدس\u200cزدنی، گوشی\u200cهای به\u200cروزنشده و دستگاه\u200cهایی که قفل نشده\u200cاند تکیه دارند. این پنج عادت رایج\u200cترین راه\u200cهای نفوذ را می\u200cبندند و هیچ\u200cکدام هزینه\u200cای ندارند.',
    passphrases: {
      heading: '۱. از عبارت\u200cهای عبور بلند استفاده کنید',
      body: [
        'یک عبارت عبور از چهار یا پنج واژهٔ تصادفی (مثلاً انتخاب\u200cشده با تاس) آسان\u200cتر به خاطر سپرده می\u200cشود و حدس\u200cزدنش بسیار سخت\u200cتر از یک گذرواژهٔ کوتاه پر از نماد است. برای هر حساب مهم عبارت جداگانه\u200cای به کار ببرید: وقتی یک سرویس هک می\u200cشود، مهاجمان همان گذرواژه را در همه\u200cجا امتحان می\u200cکنند.',
        'یک برنامهٔ مدیریت گذرواژه (مانند KeePassXC یا Bitwarden) می\u200cتواند آن\u200cها را برایتان نگه دارد. در این صورت فقط باید یک عبارت عبور قوی را به خاطر بسپارید.',
      ],
    },
    updates: {
      heading: '۲. به\u200cروزرسانی\u200cها را بی\u200cدرنگ نصب کنید',
      body: [
        'به\u200cروزرسانی\u200cها حفره\u200cهای امنیتی\u200cای را می\u200cبندند که مهاجمان از آن\u200cها خبر دارند. به\u200cروزرسانی خودکار را برای گوشی، رایانه، مرورگر و پیام\u200cرسان\u200cهایتان روشن کنید و به\u200cروزرسانی\u200cها را به محض عرضه نصب کنید. گوشی\u200cای که دیگر به\u200cروزرسانی دریافت نمی\u200cکند نباید برای کارهای حساس به کار برود.',
      ],
    },
    twoFactor: {
      heading: '۳. احراز هویت دومرحله\u200cای را فعال کنید',
      body: [
        'احراز هویت دومرحله\u200cای (2FA) افزون بر گذرواژه، مدرک دومی می\u200cخواهد؛ پس گذرواژهٔ دزدیده\u200cشده به\u200cتنهایی کافی نیست. برنامهٔ احراز هویت یا کلید امنیتی را به کدهای پیامکی ترجیح دهید، چون پیامک را می\u200cتوان شنود یا به جای دیگری فرستاد. کدهای پشتیبان را یادداشت کنید و در جایی امن، دور از گوشی، نگه دارید.',
      ],
    },
    sharedDevices: {
      heading: '۴. مراقب دستگاه\u200cهای مشترک باشید',
      items: [
        'گوشی و رایانه\u200cتان را با پین یا عبارت عبور قفل کنید و تنظیم کنید که پس از مدت کوتاهی خودکار قفل شوند.',
        'روی رایانهٔ مشترک یا عمومی از پنجرهٔ مرور خصوصی استفاده کنید، هرگز گذرواژه ذخیره نکنید و در پایان از حساب\u200cهایتان خارج شوید.',
        'به\u200cطور منظم بررسی کنید چه دستگاه\u200cهایی به ایمیل و پیام\u200cرسان\u200cهایتان وصل\u200cاند و هر دستگاهی را که نمی\u200cشناسید حذف کنید.',
        'اگر گوشی\u200cتان مدتی دست کس دیگری بوده، دنبال برنامه\u200cهایی بگردید که خودتان نصب نکرده\u200cاید: برخی از آن\u200cها برای جاسوسی از شما ساخته شده\u200cاند.',
      ],
    },
    backups: {
      heading: '۵. پشتیبان بگیرید',
      body: [
        'گوشی\u200cها گم می\u200cشوند، می\u200cشکنند یا توقیف می\u200cشوند. از پرونده\u200cها و مخاطبان مهمتان به\u200cطور منظم روی یک دیسک رمزگذاری\u200cشده یا یک سرویس رمزگذاری\u200cشدهٔ مطمئن نسخهٔ پشتیبان بگیرید و یک نسخه را در جای دیگری نگه دارید. هر از گاهی امتحان کنید که واقعاً می\u200cتوانید پرونده\u200cهایتان را بازیابی کنید.',
      ],
    },
    closing:
      'امنیت دیجیتال عادتی جمعی است: دربارهٔ این شیوه\u200cها با کسانی که با آن\u200cها کار می\u200cکنید به توافق برسید. اگر فکر می\u200cکنید به یکی از حساب\u200cها یا دستگاه\u200cهایتان نفوذ شده است، از یک خط کمک امنیت دیجیتال مورد اعتماد یاری بخواهید.',
  },
};

export function guideOf(language: DemoLanguage): { title: string; summary: string } {
  const g = GUIDES[language];
  return { title: g.title, summary: g.summary };
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const RTL = new Set<DemoLanguage>(['ar', 'fa']);

/** The guide as an HTML document, as an editor would hand it in. */
export function guideHtml(language: DemoLanguage): string {
  const g = GUIDES[language];
  const p = (t: string) => `    <p>${escapeHtml(t)}</p>`;
  const h2 = (t: string) => `    <h2>${escapeHtml(t)}</h2>`;
  return [
    '<!doctype html>',
    `<html lang="${language}" dir="${RTL.has(language) ? 'rtl' : 'ltr'}">`,
    '  <head><meta charset="utf-8"><title>' + escapeHtml(g.title) + '</title></head>',
    '  <body>',
    `    <h1>${escapeHtml(g.title)}</h1>`,
    p(g.intro),
    h2(g.passphrases.heading),
    ...g.passphrases.body.map(p),
    h2(g.updates.heading),
    ...g.updates.body.map(p),
    h2(g.twoFactor.heading),
    ...g.twoFactor.body.map(p),
    h2(g.sharedDevices.heading),
    '    <ul>',
    ...g.sharedDevices.items.map((t) => `      <li>${escapeHtml(t)}</li>`),
    '    </ul>',
    h2(g.backups.heading),
    ...g.backups.body.map(p),
    p(g.closing),
    '  </body>',
    '</html>',
    '',
  ].join('\n');
}
