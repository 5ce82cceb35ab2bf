/**
 * Benchmark runner: `npm run bench -- NAME [--quick]`. Each benchmark prints one JSON object per
 * line on stdout ({"bench","metric","value","unit"}) and its progress on stderr. --quick runs a
 * smaller version in under 30 s, for checking that a benchmark still works, not for numbers.
 * See docs/benchmarks.md for what each one measures and the latest results.
 */
import { availableParallelism, loadavg } from "node:os";
import { apiBench } from "./api.ts";
import { fanoutBench } from "./fanout.ts";
import { createReporter, type Reporter } from "./lib/output.ts";
import { machineCpu } from "./lib/proc.ts";
import { mlsBench } from "./mls.ts";
import { petitionBench } from "./petition.ts";
import { startupBench } from "./startup.ts";

const BENCHMARKS: Readonly<Record<string, { readonly about: string; run(r: Reporter, quick: boolean): Promise<void> }>> = {
  startup: { about: "time to first healthy response, idle memory, memory after sign-ins", run: startupBench },
  api: { about: "read requests per second at 64 connections (healthz, instance, members)", run: apiBench },
  fanout: { about: "loop messages over WebSockets to 2,000 devices in loops of 10, 100, 1,000 members", run: fanoutBench },
  petition: { about: "a storm of real signatures (proof of work, sealed, mailed, confirmed) with readers of the public page", run: petitionBench },
  mls: { about: "MLS add/remove/join/encrypt at group sizes 10 to 5,000, both cipher suites", run: mlsBench },
};

function usage(): string {
  const names = Object.entries(BENCHMARKS)
    .map(([name, b]) => `  ${name.padEnd(10)} ${b.about}`)
    .join("\n");
  return `Usage: npm run bench -- NAME [--quick]\n\nBenchmarks:\n${names}\n`;
}

async function main(argv: string[]): Promise<number> {
  const quick = argv.includes("--quick");
  const unknownFlag = argv.find((a) => a.startsWith("-") && a !== "--quick");
  const names = argv.filter((a) => !a.startsWith("-"));
  if (unknownFlag || names.length !== 1 || !Object.hasOwn(BENCHMARKS, names[0]!)) {
    if (unknownFlag) process.stderr.write(`Unknown flag ${unknownFlag}.\n`);
    else if (names.length === 1) process.stderr.write(`Unknown benchmark "${names[0]}".\n`);
    process.stderr.write(usage());
    return 2;
  }
  const name = names[0]!;
  const reporter = createReporter(name);
  const t0 = performance.now();
  // the machine may be shared: record how busy it was, since every number depends on it
  reporter.emit("load_average_1m_before", loadavg()[0]!, "runnable tasks");
  const cpu0 = machineCpu();
  await BENCHMARKS[name]!.run(reporter, quick);
  const cpu1 = machineCpu();
  const ticks = Math.max(1, cpu1.total - cpu0.total);
  reporter.emit("load_average_1m_after", loadavg()[0]!, "runnable tasks");
  // steal: CPU time a virtual machine's host gave to other guests; it slows everything measured
  reporter.emit("cpu_steal_pct", ((cpu1.steal - cpu0.steal) / ticks) * 100, "% of all cores");
  reporter.emit("cpu_idle_pct", ((cpu1.idle - cpu0.idle) / ticks) * 100, "% of all cores");
  reporter.log(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s${quick ? " (quick)" : ""}, on ${availableParallelism()} cores`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
