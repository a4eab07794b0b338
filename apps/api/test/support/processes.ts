import { readdirSync, readFileSync } from 'node:fs';

/** Processes read from /proc (Linux), for the specs that check what a run started and left: clean stop, compiled build. */

export interface TreeProcess {
  pid: number;
  ppid: number;
  startTime: string;
  command: string;
}

/** A process from /proc: its parent, start time (to tell a reused pid apart), state and command line; null once gone. */
export function readProcess(pid: number): (TreeProcess & { ppid: number; state: string }) | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid ... starttime is field 22; comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    return { pid, state: fields[0], ppid: Number(fields[1]), startTime: fields[19], command };
  } catch {
    return null;
  }
}

export function allPids(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number);
}

/** Every live process below `root` now (not root itself), by parent links. */
export function descendants(root: number): TreeProcess[] {
  const processes = allPids()
    .map(readProcess)
    .filter((proc): proc is NonNullable<typeof proc> => proc !== null && proc.state !== 'Z');
  const below = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const proc of processes) {
      if (!below.has(proc.pid) && below.has(proc.ppid)) {
        below.add(proc.pid);
        grew = true;
      }
    }
  }
  return processes.filter((proc) => proc.pid !== root && below.has(proc.pid)).map(({ pid, ppid, startTime, command }) => ({ pid, ppid, startTime, command }));
}
