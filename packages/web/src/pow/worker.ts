/**
 * A proof-of-work worker: searches one stripe of the counters (see solve.ts) off the page's
 * thread, reporting how many it tried, until it finds the solution or the page ends it.
 */
import { solvePowRange } from "@commune/client/proof-of-work";
import type { PowReport, PowWork } from "./messages.ts";

// (typed by hand: the project compiles against the DOM library, not the worker one)
const scope = self as unknown as { postMessage(report: PowReport): void; onmessage: ((event: MessageEvent<PowWork>) => void) | null };
const post = (report: PowReport) => scope.postMessage(report);

scope.onmessage = async (event: MessageEvent<PowWork>) => {
  const { challenge, counterStart, counterStep, reportEvery } = event.data;
  try {
    const solution = await solvePowRange(challenge, { counterStart, counterStep, reportEvery, onTries: (tries) => post({ type: "tries", tries }) });
    // (null only when aborted, and this worker is terminated instead)
    if (solution) post({ type: "solution", solution });
  } catch (error) {
    post({ type: "error", message: error instanceof Error ? error.message : String(error) });
  }
};
