/**
 * The loop engine and the MLS code under it (ts-mls, @hpke, ML-KEM: most of the app's script) as
 * their own chunk: loop-session.tsx imports this module dynamically, so the first page renders
 * without downloading, parsing or running it, and loads it when the loops start.
 */
export { LoopEngine } from "@commune/client";
