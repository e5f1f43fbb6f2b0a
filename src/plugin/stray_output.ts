/**
 * Keeps everything the process says in the host's log format. Once serving starts, stdout
 * belongs to the handshake line (a stray `console.log` before it breaks the start, and the host
 * discards whatever comes after), and stderr must carry hclog JSON lines (a raw Deno stack trace
 * would reach the engine's log as DEBUG noise). go-plugin reaches the same end by swapping
 * os.Stdout and os.Stderr for pipes.
 *
 * @module
 */
import { format } from "node:util";
import type { Logger } from "../sdk/logical.ts";

type ConsoleMethod = "log" | "info" | "debug" | "warn" | "error" | "trace";

const CONSOLE_LEVELS: Record<ConsoleMethod, keyof Omit<Logger, "with">> = {
  log: "info",
  info: "info",
  debug: "debug",
  trace: "trace",
  warn: "warn",
  error: "error",
};

/**
 * Routes `console.*` to `logger` and turns uncaught errors and unhandled rejections into error
 * lines (with the stack as a field) instead of a raw trace and an exit.
 *
 * Both are logged and the process keeps serving: a stray failure in one callback (a timer, a
 * socket event) should not take down every mount this process serves, and the host would only
 * restart us and replay one request. Errors of a request never get here: the backend service
 * returns them to the host.
 *
 * @returns A function that restores the console and removes the listeners (for tests).
 */
export function captureStrayOutput(logger: Logger): () => void {
  const original = new Map<ConsoleMethod, (...args: unknown[]) => void>();
  for (const method of Object.keys(CONSOLE_LEVELS) as ConsoleMethod[]) {
    original.set(method, console[method]);
    console[method] = (...args: unknown[]) => logger[CONSOLE_LEVELS[method]](format(...args));
  }
  const onRejection = (event: PromiseRejectionEvent) => {
    event.preventDefault();
    logger.error("unhandled promise rejection", describe(event.reason));
  };
  const onError = (event: ErrorEvent) => {
    event.preventDefault();
    logger.error("uncaught exception", describe(event.error ?? event.message));
  };
  globalThis.addEventListener("unhandledrejection", onRejection);
  globalThis.addEventListener("error", onError);
  return () => {
    for (const [method, fn] of original) console[method] = fn;
    globalThis.removeEventListener("unhandledrejection", onRejection);
    globalThis.removeEventListener("error", onError);
  };
}

function describe(reason: unknown): Record<string, unknown> {
  if (reason instanceof Error) {
    return { error: reason.message, error_type: reason.name, stack: reason.stack ?? "" };
  }
  return { error: String(reason) };
}
