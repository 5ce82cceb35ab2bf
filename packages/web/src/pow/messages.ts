/** What the page and its proof-of-work workers say to each other. */
import type { PowSolution } from "@commune/client/proof-of-work";
import type { PowChallenge } from "@commune/protocol";

/** Page → worker: search the counters `counterStart, counterStart + counterStep, …`. */
export interface PowWork {
  readonly challenge: PowChallenge;
  readonly counterStart: number;
  readonly counterStep: number;
  readonly reportEvery: number;
}

/** Worker → page. */
export type PowReport =
  | { readonly type: "tries"; readonly tries: number }
  | { readonly type: "solution"; readonly solution: PowSolution }
  | { readonly type: "error"; readonly message: string };
