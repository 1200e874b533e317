// CPU time of some of this process's descendants (Chromium's browser, network, renderer... processes), or
// of some of their threads (the page's checksum worker), from Linux's /proc, to show what the browser
// spends per GiB sent. Null where /proc is missing (macOS).
import { readdirSync, readFileSync } from 'node:fs';

/** Linux's USER_HZ: /proc reports times in ticks of 1/100 s on every architecture Node supports. */
const TICKS_PER_SECOND = 100;

interface ProcStat {
  pid: number;
  /** The executable's name (at most 15 characters). */
  command: string;
  ppid: number;
  /** utime + stime + cutime + cstime: the process and its children it has reaped. */
  ticks: number;
}

/** Fields after the command, which is in parentheses and may hold spaces or ')'. */
export function parseProcStat(pid: number, stat: string): ProcStat {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // man 5 proc: state is field 3, ppid 4, utime 14, stime 15, cutime 16, cstime 17.
  const at = (field: number) => Number(fields[field - 3]);
  return { pid, command: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), ppid: at(4), ticks: at(14) + at(15) + at(16) + at(17) };
}

function readStats(): ProcStat[] | null {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  const stats: ProcStat[] = [];
  for (const pid of pids) {
    try {
      stats.push(parseProcStat(Number(pid), readFileSync(`/proc/${pid}/stat`, 'utf8')));
    } catch {
      // exited between the listing and the read
    }
  }
  return stats;
}

/**
 * CPU seconds of the live descendants of `root` whose command matches (and of the children they
 * reaped); null without /proc.
 */
export function descendantCpuSeconds(matches: (command: string) => boolean, root: number = process.pid): number | null {
  const found = matchingDescendants(matches, root);
  return found && found.reduce((ticks, stat) => ticks + stat.ticks, 0) / TICKS_PER_SECOND;
}

/** Utime + stime of one thread (`/proc/<pid>/task/<tid>/stat`), in ticks; its name from `comm`. */
function readThreads(pid: number): { name: string; ticks: number }[] {
  const threads: { name: string; ticks: number }[] = [];
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return threads;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // man 5 proc: utime is field 14, stime 15 (a thread's cutime/cstime are its process's, not its own).
      threads.push({ name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), ticks: Number(fields[14 - 3]) + Number(fields[15 - 3]) });
    } catch {
      // ended between the listing and the read
    }
  }
  return threads;
}

/**
 * CPU seconds of the threads named `thread` (as /proc shows them: at most 15 characters, e.g. Chromium's
 * "DedicatedWorker") in the live descendants of `root` whose command matches; null without /proc.
 */
export function descendantThreadCpuSeconds(matches: (command: string) => boolean, thread: string, root: number = process.pid): number | null {
  const found = matchingDescendants(matches, root);
  if (!found) return null;
  let ticks = 0;
  for (const stat of found) for (const t of readThreads(stat.pid)) if (t.name === thread) ticks += t.ticks;
  return ticks / TICKS_PER_SECOND;
}

/** The live descendants of `root` whose command matches (each with what it reaped); null without /proc. */
function matchingDescendants(matches: (command: string) => boolean, root: number): ProcStat[] | null {
  const stats = readStats();
  if (!stats) return null;
  const children = new Map<number, ProcStat[]>();
  for (const stat of stats) {
    const siblings = children.get(stat.ppid);
    if (siblings) siblings.push(stat);
    else children.set(stat.ppid, [stat]);
  }
  const found: ProcStat[] = [];
  const queue = [...(children.get(root) ?? [])];
  for (let stat = queue.pop(); stat; stat = queue.pop()) {
    if (matches(stat.command)) found.push(stat);
    queue.push(...(children.get(stat.pid) ?? []));
  }
  return found;
}
