/** Solves the server's proof-of-work challenge for a public form, in workers, reporting progress from 0 to 1. */
import type { PowChallenge } from "@commune/protocol";
import { solvePowInBrowser } from "../pow/solve.ts";

export function solveChallenge(challenge: PowChallenge, onProgress: (fraction: number) => void): Promise<string> {
  return solvePowInBrowser(challenge, { onProgress });
}
