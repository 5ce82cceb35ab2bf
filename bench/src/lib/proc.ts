/** What Linux says about a process: resident memory and CPU time, read from /proc. */
import { readFileSync } from "node:fs";

/** Linux reports CPU times in clock ticks of 1/100 s (USER_HZ) on every common architecture. */
const TICKS_PER_SECOND = 100;

function statusField(pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(status);
  if (!match) throw new Error(`/proc/${pid}/status has no ${field}`);
  return Number(match[1]) * 1024;
}

/** Resident set size now, in bytes (VmRSS). */
export function rssBytes(pid: number): number {
  return statusField(pid, "VmRSS");
}

/** The largest resident set size the process has had, in bytes (VmHWM). */
export function peakRssBytes(pid: number): number {
  return statusField(pid, "VmHWM");
}

/** Decimal megabytes (10^6 bytes): the stricter reading of goals stated in "MB". */
export function megabytes(bytes: number): number {
  return bytes / 1e6;
}

/** User + system CPU time the process has used so far, in milliseconds. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // the command name (field 2) is in parentheses and may contain spaces: count from after it
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / TICKS_PER_SECOND;
}

export interface MachineCpu {
  /** All CPU time of all cores so far, in ticks. */
  readonly total: number;
  /** Time no task wanted (idle + I/O wait). */
  readonly idle: number;
  /** Time the hypervisor gave to other virtual machines while this one wanted to run. */
  readonly steal: number;
}

/** The machine-wide CPU counters from the first line of /proc/stat. */
export function machineCpu(): MachineCpu {
  const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0]!;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1, 9).map(Number) as number[];
  const total = user! + nice! + system! + idle! + iowait! + irq! + softirq! + steal!;
  return { total, idle: idle! + iowait!, steal: steal! };
}
