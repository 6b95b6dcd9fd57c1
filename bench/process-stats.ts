/** Memory and CPU figures of a running process, read from Linux's /proc. */
import { readdirSync, readFileSync } from 'node:fs';

/** Memory fields of a process's /proc status (VmHWM, VmRSS, RssAnon, …), MB each. */
export function memoryMb(pid: number, fields: readonly string[]): number[] {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return fields.map((field) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN) / 1024);
}

/** Peak resident set of a process so far (Linux VmHWM), MB. */
export function peakRssMb(pid: number): number {
  return memoryMb(pid, ['VmHWM'])[0]!;
}

/** CPU time (user + system, all threads) a process has used so far, seconds. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Resident set now, split as the kernel accounts it (anonymous, file-backed, shared), MB. */
export function rssBreakdown(pid: number): string {
  const [rss, anon, file, shmem] = memoryMb(pid, ['VmRSS', 'RssAnon', 'RssFile', 'RssShmem']).map((mb) => mb.toFixed(0).padStart(4));
  return `RSS ${rss} MB (anon ${anon}, file ${file}, shmem ${shmem})`;
}

/**
 * CPU time of every process named `name` (e.g. PostgreSQL's backends) over a stretch of time, counting
 * processes that start or exit in between: call `sample()` often (a backend that exits between two
 * samples loses what it used since the last one), then `seconds()`.
 */
export class ProcessGroupCpu {
  /** Per process: CPU seconds when first seen (0 if it started after the first sample), and when last seen. */
  private readonly seen = new Map<number, { first: number; last: number }>();
  private started = false;

  constructor(private readonly name: string) {
    this.sample();
    this.started = true;
  }

  sample(): void {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== this.name) continue;
        const pid = Number(entry);
        const cpu = cpuSeconds(pid);
        const known = this.seen.get(pid);
        if (known) known.last = cpu;
        else this.seen.set(pid, { first: this.started ? 0 : cpu, last: cpu });
      } catch {
        // the process ended while we looked
      }
    }
  }

  seconds(): number {
    this.sample();
    let total = 0;
    for (const { first, last } of this.seen.values()) total += last - first;
    return total;
  }
}
