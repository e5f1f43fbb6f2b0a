/**
 * Process bookkeeping for the e2e engines: children read from /proc, and a registry of the
 * process groups we started that is killed on exit, uncaught errors, SIGINT and SIGTERM, so that
 * a failed or interrupted run leaves no dev server or plugin behind.
 *
 * @module
 */

/** Parent pid and state letter of a process, or undefined when it is gone. */
function procStat(pid: number): { ppid: number; state: string } | undefined {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ")".
    const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(ppid), state };
  } catch {
    return undefined;
  }
}

/**
 * PIDs of the live (not zombie) children of `parent`, read from /proc.
 *
 * @param parent Parent process id.
 * @returns Child process ids in /proc order.
 */
export function childPids(parent: number): number[] {
  const pids: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    const stat = procStat(Number(entry.name));
    // A killed plugin stays a zombie until the engine reaps it; it is no longer a plugin process.
    if (stat && stat.ppid === parent && stat.state !== "Z") pids.push(Number(entry.name));
  }
  return pids;
}

/**
 * Sends `signal` to the process group led by `pgid` (a process spawned with `detached: true`
 * leads its own group, and the plugins an engine starts inherit it).
 */
export function killGroup(pgid: number, signal: Deno.Signal): void {
  try {
    Deno.kill(-pgid, signal);
  } catch {
    // the whole group is gone already
  }
}

const groups = new Set<number>();
const SIGNALS = ["SIGINT", "SIGTERM"] as const;

function killAll(): void {
  for (const pgid of groups) killGroup(pgid, "SIGKILL");
  groups.clear();
}

function onSignal(): void {
  killAll();
  // Adding a listener replaced Deno's default exit; other listeners (e2e/main.ts) may still run
  // their cleanup, so exit a moment later rather than at once.
  setTimeout(() => Deno.exit(130), 1000);
}

// Normal exit and Deno.exit() fire "unload"; an uncaught error or rejection ends the process
// without it, so those events kill the groups too (even if another listener then handles them).
for (const event of ["unload", "error", "unhandledrejection"]) {
  globalThis.addEventListener(event, killAll);
}

/**
 * Records a process group to kill if this Deno process ends, is interrupted or terminated before
 * {@link forgetGroup}. Signal listeners are installed only while a group is tracked, so an idle
 * module keeps Deno's default Ctrl-C behaviour.
 */
export function trackGroup(pgid: number): void {
  if (groups.size === 0) { for (const signal of SIGNALS) Deno.addSignalListener(signal, onSignal); }
  groups.add(pgid);
}

/** Stops tracking a process group (it was stopped normally). */
export function forgetGroup(pgid: number): void {
  if (!groups.delete(pgid) || groups.size > 0) return;
  for (const signal of SIGNALS) Deno.removeSignalListener(signal, onSignal);
}
