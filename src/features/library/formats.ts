/** Short, human names of file formats, shown next to every download ("PDF · 2.3 MB"). */
const FORMAT_NAMES: Record<string, string> = {
  'application/pdf': 'PDF',
  'application/epub+zip': 'EPUB',
  'video/mp4': 'MP4',
  'video/webm': 'WebM',
  'video/x-matroska': 'MKV',
  'audio/mpeg': 'MP3',
  'audio/ogg': 'Ogg',
  'audio/opus': 'Opus',
  'audio/webm': 'WebM',
  'text/vtt': 'WebVTT',
  'application/x-subrip': 'SRT',
  'text/plain': 'TXT',
  'text/html': 'HTML',
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/webp': 'WebP',
};

export function formatName(mediaType: string): string {
  return FORMAT_NAMES[mediaType] ?? mediaType.split('/')[1]?.toUpperCase() ?? mediaType;
}

/** Formats a browser can play in a <video> element, smallest-first ordering is done by role. */
export const PLAYABLE_VIDEO = new Set(['video/mp4', 'video/webm']);
export const PLAYABLE_AUDIO = new Set(['audio/ogg', 'audio/opus', 'audio/mpeg', 'audio/webm']);

const ROLE_ORDER = { low: 0, audio: 1, original: 2, subtitles: 3 } as const;

/** Light versions first: a reader paying per megabyte sees the cheapest option at the top. */
export function byRoleThenSize<T extends { role: keyof typeof ROLE_ORDER; size: number }>(
  files: T[],
): T[] {
  return [...files].sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.size - b.size);
}
