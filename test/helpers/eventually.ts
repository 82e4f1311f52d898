/**
 * For effects the server completes just after answering (a download is counted once nginx has
 * its answer): reads again until the value is the expected one, for at most `timeoutMs`, and
 * returns the last value read so that the caller's assertion reports it.
 */
export async function settledValue<T>(
  read: () => Promise<T>,
  expected: T,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value === expected || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
}
