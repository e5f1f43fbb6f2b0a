/**
 * Notices when the engine that started us is gone (protocol.md §8.23). go-plugin servers do not
 * watch their parent, so when an engine is SIGKILLed its plugins linger. A parent that dies
 * leaves us re-parented to init or a subreaper, so our parent pid changes.
 *
 * @module
 */

/**
 * Calls `onGone` once when the parent process id differs from the one at the start.
 *
 * @param onGone What to do (stop serving).
 * @param options.intervalMs How often to look. @default 1000
 * @param options.ppid Reads the parent pid (tests replace it). @default () => Deno.ppid
 * @returns Stops watching.
 */
export function watchParent(
  onGone: () => void,
  options: { intervalMs?: number; ppid?: () => number } = {},
): () => void {
  const ppid = options.ppid ?? (() => Deno.ppid);
  const first = ppid();
  const timer = setInterval(() => {
    if (ppid() === first) return;
    clearInterval(timer);
    onGone();
  }, options.intervalMs ?? 1000);
  // The server keeps the process alive; this check alone must not.
  Deno.unrefTimer(timer);
  return () => clearInterval(timer);
}
