/**
 * Ctrl-C (SIGINT) or SIGTERM ends a watching command cleanly: `cleanup` (the cursor back, the
 * socket closed), then exit 0 — stopping a watch is how it is meant to end, not a failure.
 * Returns the function that removes the handlers (the command ended by itself).
 */
export function stopOnInterrupt(cleanup: () => void | Promise<void>): () => void {
  const handler = () => {
    // A socket that does not close at once does not hold the exit up.
    const giveUp = new Promise((resolve) => setTimeout(resolve, 1_000).unref());
    void Promise.race([Promise.resolve().then(cleanup), giveUp]).finally(() => process.exit(0));
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
