/** Running the conversion programs (poppler-utils, ffmpeg) with a time limit and no shell. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export class ToolError extends Error {}

export async function runTool(
  command: string,
  args: readonly string[],
  options: { timeoutMs?: number; maxOutputBytes?: number } = {},
): Promise<string> {
  try {
    const { stdout } = await run(command, args, {
      timeout: options.timeoutMs ?? 10 * 60_000,
      maxBuffer: options.maxOutputBytes ?? 64 * 1024 * 1024,
      encoding: 'utf8',
    });
    return stdout;
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string; killed?: boolean };
    if (e.code === 'ENOENT') throw new ToolError(`${command} is not installed`);
    if (e.killed) throw new ToolError(`${command} took too long`);
    throw new ToolError(`${command} failed: ${(e.stderr ?? e.message).trim().slice(-300)}`);
  }
}
