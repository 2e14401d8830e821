// How long a queued event that failed waits before its next attempt:
// base, 2 × base, 4 × base, … capped at the 12 hours Queues allows. With the
// defaults in wrangler.queue.toml (60 s, 9 retries) the last attempt comes
// about 8.5 hours after the first, as long as the platform itself would have
// kept retrying; then the message goes to the dead-letter queue.

/** Seconds to pass to `message.retry({ delaySeconds })` after attempt number `attempts` (1 for the first) failed. */
export function retryDelaySeconds(attempts, baseSeconds = 60) {
  const base = Number(baseSeconds);
  if (!Number.isFinite(base) || base < 0) throw new TypeError("the retry base must be a number of seconds, 0 or more");
  const exponent = Math.max(0, Math.min(Number(attempts) || 1, 20) - 1);
  return Math.min(43_200, Math.round(base * 2 ** exponent));
}
