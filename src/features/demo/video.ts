/**
 * The demo video: a generated test pattern (ffmpeg's testsrc2 with a tone that beeps every second),
 * as MP4 (H.264/AAC, faststart), WebM (VP9/Opus) and audio-only Opus, with WebVTT subtitles.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import fs from 'node:fs';

const run = promisify(execFile);

export const VIDEO_SECONDS = 12;

export function ffmpegAvailable(): boolean {
  try {
    const result = spawnSync('ffmpeg', ['-version'], { stdio: 'ignore', timeout: 10_000 });
    return result.status === 0;
  } catch {
    return false;
  }
}

const COMMON = ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y'];
const SOURCES = [
  '-f', 'lavfi', '-i', `testsrc2=size=426x240:rate=25:duration=${VIDEO_SECONDS}`,
  '-f', 'lavfi', '-i', `sine=frequency=440:beep_factor=4:sample_rate=48000:duration=${VIDEO_SECONDS}`,
]; // prettier-ignore
// No creation time or encoder tags: the same input gives the same bytes.
const BITEXACT = [
  '-map_metadata',
  '-1',
  '-fflags',
  '+bitexact',
  '-flags:v',
  '+bitexact',
  '-flags:a',
  '+bitexact',
];

export interface VideoFiles {
  mp4: string;
  webm: string;
  opus: string;
}

export async function generateVideo(dir: string): Promise<VideoFiles> {
  const files = {
    mp4: path.join(dir, 'colour-bars.mp4'),
    webm: path.join(dir, 'colour-bars.webm'),
    opus: path.join(dir, 'colour-bars.opus'),
  };
  const ffmpeg = (args: string[]) => run('ffmpeg', [...COMMON, ...args], { timeout: 120_000 });
  await Promise.all([
    ffmpeg([
      ...SOURCES,
      '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '30', '-pix_fmt', 'yuv420p', '-threads', '1',
      '-c:a', 'aac', '-b:a', '64k', '-movflags', '+faststart', '-shortest', ...BITEXACT, files.mp4,
    ]), // prettier-ignore
    ffmpeg([
      ...SOURCES,
      '-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '0', '-crf', '40', '-row-mt', '1',
      '-c:a', 'libopus', '-b:a', '48k', '-shortest', ...BITEXACT, files.webm,
    ]), // prettier-ignore
    ffmpeg([
      '-f', 'lavfi', '-i', `sine=frequency=440:beep_factor=4:sample_rate=48000:duration=${VIDEO_SECONDS}`,
      '-c:a', 'libopus', '-b:a', '16k', ...BITEXACT, files.opus,
    ]), // prettier-ignore
  ]);
  for (const file of Object.values(files)) {
    if (!fs.existsSync(file) || fs.statSync(file).size === 0)
      throw new Error(`ffmpeg did not produce ${file}`);
  }
  return files;
}

function timestamp(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const rest = ms % 1000;
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(rest, 3)}`;
}

/** WebVTT with the cues spread evenly over the video. */
export function webVtt(cues: readonly string[], seconds = VIDEO_SECONDS): string {
  const step = seconds / cues.length;
  const blocks = cues.map(
    (text, i) =>
      `${i + 1}\n${timestamp(i * step)} --> ${timestamp((i + 1) * step)}\n${text.replace(/-->/g, '→')}`,
  );
  return `WEBVTT\n\n${blocks.join('\n\n')}\n`;
}
