/**
 * The demo library. It is built the way an editor would build a real one: a folder of files and a
 * manifest, imported with importDirectory (one code path for demo and real content). The folder is
 * made in the system's temporary directory and removed afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FieldCipher } from '../../platform/crypto/field-encryption.js';
import type { Database } from '../../platform/db/database.js';
import type { BlobStore } from '../../platform/storage/blob-store.js';
import { directionOf } from '../../platform/i18n/languages.js';
import { importDirectory, type ImportProgress, type ImportResult } from '../imports/importer.js';
import type { ManifestInput } from '../imports/manifest.js';
import {
  DEMO_LANGUAGES,
  POSTER,
  POSTER_LANGUAGES,
  START_HERE,
  TOPICS,
  VIDEO_CUES,
  VIDEO_EDITIONS,
  guideHtml,
  guideOf,
} from './content.js';
import { writeEpub } from './epub.js';
import { writeDeclarationPdf, writePosterPdf } from './pdf.js';
import {
  firstSentence,
  readDeclaration,
  translations,
  truncateAtWord,
  type Declaration,
} from './udhr.js';
import { ffmpegAvailable, generateVideo, webVtt } from './video.js';

export const DEMO_SLUGS = {
  udhr: 'universal-declaration-of-human-rights',
  poster: 'your-rights-in-30-articles',
  video: 'demo-video-colour-bars',
  guide: 'digital-safety-basics',
  collection: 'start-here',
} as const;

const HUB = 'learning-center-network';
const OHCHR = 'ohchr';
const UDHR_LICENCE = 'Freely reproducible; translations © OHCHR, via UDHR in Unicode';
const UDHR_CREDIT =
  'Universal Declaration of Human Rights. Text © OHCHR (Office of the United Nations High Commissioner for Human Rights), freely reproducible; from “UDHR in Unicode”.';

/** EPUBs for these translations (when present), PDFs for these Latin-1 languages. */
const EPUB_LANGUAGES = ['en', 'ar', 'fa', 'fr', 'ru', 'es', 'zh', 'sw', 'hi', 'tr'];
const PDF_LANGUAGES = ['en', 'fr', 'es', 'pt', 'de', 'it', 'sw', 'id', 'nl'];

export interface SeedOptions {
  onProgress?: (p: ImportProgress) => void;
  log?: (message: string) => void;
  /** With the key ring's cipher, the demo programme (curriculum, events, participants) too. */
  cipher?: FieldCipher;
}

export async function libraryIsEmpty(database: Database): Promise<boolean> {
  const row = await database.db.selectFrom('works').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

type WorkInput = NonNullable<ManifestInput['works']>[number];
type EditionInput = WorkInput['editions'][number];

function summaryOf(declaration: Declaration, language: string): string | undefined {
  const first = declaration.preamble[0] ?? declaration.articles[0]?.paragraphs[0];
  return first ? truncateAtWord(first, 280, language) : undefined;
}

/** Writes the demo folder (files and manifest.json) and returns the manifest's path. */
async function buildDemoFolder(dir: string, log: (message: string) => void): Promise<string> {
  const folders = ['udhr', 'epub', 'pdf', 'poster', 'guide', 'video'];
  for (const f of folders) await fs.promises.mkdir(path.join(dir, f));

  // Universal Declaration of Human Rights: every translation in the udhr package.
  const udhrEditions: EditionInput[] = [];
  const languages: NonNullable<ManifestInput['languages']> = [];
  const declarations = new Map<
    string,
    { declaration: Declaration; direction: 'ltr' | 'rtl'; variant: boolean }
  >();
  let untitled = 0;
  for (const t of translations()) {
    const target = path.join('udhr', `${t.info.code}.html`);
    await fs.promises.copyFile(t.file, path.join(dir, target));
    const declaration = readDeclaration(await fs.promises.readFile(t.file, 'utf8'));
    const direction = directionOf(t.tag, t.direction ?? undefined);
    declarations.set(t.tag, { declaration, direction, variant: t.variant });
    if (!declaration.title) untitled += 1;
    const language: (typeof languages)[number] = { tag: t.tag };
    if (t.endonym) language.endonym = t.endonym;
    if (t.englishName) language.english_name = t.englishName;
    if (t.direction) language.direction = t.direction;
    languages.push(language);
    const summary = summaryOf(declaration, t.tag);
    udhrEditions.push({
      language: t.tag,
      // A few files have no title heading: name the translation instead.
      title: (declaration.title ?? `Universal Declaration of Human Rights (${t.info.name})`).slice(
        0,
        500,
      ),
      ...(summary ? { summary } : {}),
      html: target,
      files: [],
    });
  }
  if (untitled)
    log(`${untitled} UDHR translations have no title heading; they are titled in English.`);
  const editionOf = (tag: string) => udhrEditions.find((e) => e.language === tag);

  // EPUBs.
  for (const tag of EPUB_LANGUAGES) {
    const entry = declarations.get(tag);
    const edition = editionOf(tag);
    if (!entry || !edition) continue;
    const { declaration, direction } = entry;
    const file = path.join('epub', `udhr-${tag}.epub`);
    await writeEpub(
      {
        key: `udhr:${tag}`,
        language: tag,
        direction,
        title: edition.title,
        publisher: 'OHCHR',
        rights: UDHR_LICENCE,
        chapters: [
          ...(declaration.preamble.length
            ? [
                {
                  title: declaration.preambleHeading ?? edition.title,
                  paragraphs: declaration.preamble,
                },
              ]
            : []),
          ...declaration.articles.map((a) => ({ title: a.heading, paragraphs: a.paragraphs })),
        ],
      },
      path.join(dir, file),
    );
    edition.files!.push({ path: file, filename: `${DEMO_SLUGS.udhr}-${tag}.epub` });
  }

  // PDFs, for languages Helvetica can print.
  for (const [tag, entry] of declarations) {
    const primary = tag.split('-')[0]!;
    if (entry.variant || !PDF_LANGUAGES.includes(primary)) continue;
    const edition = editionOf(tag)!;
    const file = path.join('pdf', `udhr-${tag}.pdf`);
    const lost = await writeDeclarationPdf(
      {
        title: edition.title,
        preamble: entry.declaration.preamble,
        articles: entry.declaration.articles,
      },
      tag,
      UDHR_CREDIT,
      path.join(dir, file),
    );
    if (lost)
      log(
        `UDHR PDF ${tag}: ${lost} characters are not in Helvetica's character set and show as "?".`,
      );
    edition.files!.push({ path: file, filename: `${DEMO_SLUGS.udhr}-${tag}.pdf` });
  }

  const works: WorkInput[] = [
    {
      slug: DEMO_SLUGS.udhr,
      type: 'other',
      publisher: OHCHR,
      licence: UDHR_LICENCE,
      year: 1948,
      original_language: 'en',
      topics: ['human-rights'],
      editions: udhrEditions,
    },
  ];

  // Poster: the 30 articles on one page.
  const posterEditions: EditionInput[] = [];
  for (const language of POSTER_LANGUAGES) {
    const entry = declarations.get(language);
    if (!entry) continue;
    const file = path.join('poster', `your-rights-${language}.pdf`);
    await writePosterPdf(
      {
        title: POSTER[language].title,
        subtitle: POSTER[language].subtitle,
        credit: UDHR_CREDIT,
        items: entry.declaration.articles.map((a) => ({
          heading: a.heading,
          text: truncateAtWord(firstSentence(a.paragraphs[0] ?? '', language), 170, language),
        })),
      },
      language,
      path.join(dir, file),
    );
    posterEditions.push({
      language,
      title: POSTER[language].title,
      summary: POSTER[language].summary,
      files: [{ path: file, filename: `${DEMO_SLUGS.poster}-${language}.pdf` }],
    });
  }
  works.push({
    slug: DEMO_SLUGS.poster,
    type: 'poster',
    publisher: HUB,
    licence:
      'Text of the Declaration © OHCHR, freely reproducible; poster CC BY 4.0 Learning Center Network',
    year: 2024,
    original_language: 'en',
    topics: ['human-rights', 'training'],
    editions: posterEditions,
  });

  // Digital-safety guide, an HTML edition in each interface language.
  const guideEditions: EditionInput[] = [];
  for (const language of DEMO_LANGUAGES) {
    const file = path.join('guide', `digital-safety-${language}.html`);
    await fs.promises.writeFile(path.join(dir, file), guideHtml(language));
    guideEditions.push({ language, ...guideOf(language), html: file });
  }
  works.push({
    slug: DEMO_SLUGS.guide,
    type: 'guide',
    publisher: HUB,
    licence: 'CC BY 4.0 Learning Center Network',
    year: 2024,
    original_language: 'en',
    topics: ['digital-safety', 'gender-equality'],
    editions: guideEditions,
  });

  // Video, when ffmpeg is here to make it.
  let video = false;
  if (ffmpegAvailable()) {
    const started = performance.now();
    const made = await generateVideo(path.join(dir, 'video'));
    const subtitles: NonNullable<EditionInput['files']> = [];
    for (const language of DEMO_LANGUAGES) {
      const file = path.join('video', `colour-bars.${language}.vtt`);
      await fs.promises.writeFile(path.join(dir, file), webVtt(VIDEO_CUES[language]));
      subtitles.push({
        path: file,
        role: 'subtitles',
        language,
        filename: `colour-bars.${language}.vtt`,
      });
    }
    const rel = (file: string) => path.relative(dir, file);
    const videoEditions: EditionInput[] = Object.entries(VIDEO_EDITIONS).map(
      ([language, text]) => ({
        language,
        title: text.title,
        summary: text.summary,
        files: [
          { path: rel(made.mp4), role: 'original', filename: 'colour-bars.mp4' },
          { path: rel(made.webm), role: 'original', filename: 'colour-bars.webm' },
          { path: rel(made.opus), role: 'audio', filename: 'colour-bars.opus' },
          ...subtitles,
        ],
      }),
    );
    works.push({
      slug: DEMO_SLUGS.video,
      type: 'video',
      publisher: HUB,
      licence: 'CC0 1.0 (generated test pattern)',
      year: 2024,
      original_language: 'en',
      topics: ['training', 'digital-safety'],
      editions: videoEditions,
    });
    video = true;
    log(
      `Demo video generated with ffmpeg in ${((performance.now() - started) / 1000).toFixed(1)} s.`,
    );
  } else {
    log(
      'ffmpeg was not found on PATH: the demo video is skipped. Install ffmpeg (Debian: apt-get install ffmpeg) to include it.',
    );
  }

  const manifest: ManifestInput = {
    organisations: [
      { slug: HUB, name: 'Learning Center Network', kind: 'hub' },
      {
        slug: OHCHR,
        name: 'Office of the United Nations High Commissioner for Human Rights',
        country: 'CH',
        kind: 'partner',
      },
      { slug: 'demo-partner', name: 'Demo Partner Organisation', country: 'KE', kind: 'partner' },
      { slug: 'sawa-digital', name: 'Sawa Digital (demo partner)', country: 'JO', kind: 'partner' },
    ],
    languages,
    topics: TOPICS,
    collections: [
      {
        slug: DEMO_SLUGS.collection,
        titles: START_HERE.titles,
        descriptions: START_HERE.descriptions,
        works: [
          DEMO_SLUGS.udhr,
          DEMO_SLUGS.guide,
          DEMO_SLUGS.poster,
          ...(video ? [DEMO_SLUGS.video] : []),
        ],
      },
    ],
    works,
  };
  const manifestPath = path.join(dir, 'manifest.json');
  await fs.promises.writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return manifestPath;
}

/**
 * Seeds the demo library: generates its files in a temporary folder and imports them. Safe to run
 * again (the import is idempotent), but meant for an empty library (see libraryIsEmpty).
 */
export async function seedDemo(
  database: Database,
  blobs: BlobStore,
  options: SeedOptions = {},
): Promise<ImportResult> {
  const log = options.log ?? (() => {});
  const started = performance.now();
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'lc-demo-'));
  try {
    const manifestPath = await buildDemoFolder(dir, log);
    const built = performance.now();
    const result = await importDirectory(database, blobs, dir, {
      manifestPath,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    if (options.cipher) {
      const { seedDemoProgrammes } = await import('./programmes.js');
      const programme = await seedDemoProgrammes(database.db, options.cipher);
      if (programme.created)
        log('Demo programme: a curriculum, 4 events, participants and projects.');
    }
    const seconds = (ms: number) => (ms / 1000).toFixed(1);
    log(
      `Demo library: ${result.works} works, ${result.editions} editions, ${result.files} files ` +
        `(${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged) in ` +
        `${seconds(performance.now() - started)} s (files ${seconds(built - started)} s, import ${seconds(performance.now() - built)} s).`,
    );
    return result;
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}
