/** The organization's settings for its loops: which MLS cipher suite new loops use (English, the reference). */
import { isolate } from "../format.ts";

export const orgSettingsEn = {
  loopSuiteTitle: "Encryption of new loops",
  loopSuiteIntro:
    "Every loop is end-to-end encrypted: only the devices of the people in it can read it. Choose how this organization’s new loops are encrypted.",
  loopSuiteLegend: "Cipher suite for new loops",
  standard: "Standard (X25519)",
  standardHint: "Fast and compact. Secure against every computer that exists today.",
  postQuantum: "Post-quantum hybrid (X-Wing)",
  postQuantumHint:
    "Adds ML-KEM, a post-quantum algorithm, to X25519: what is sent today stays secret even if someone records it and later builds a large quantum computer.",
  costsTitle: "What the post-quantum suite costs",
  costs: [
    "Chat messages keep their size; changes to who is in a loop get much larger.",
    "Adding someone to a loop of 100 people takes about 58 ms instead of 26 ms on a device, and the invitation their devices download is about 149 kB instead of 20 kB.",
    "Removing someone from a loop of 1,000 people can send about 1.2 MB instead of 83 kB; it is best for loops of up to about 800 people.",
    "Each device stores about 5 kB per person in a loop instead of 1 kB.",
  ],
  existing:
    "Only new loops use this choice. Loops that already exist keep the suite they were created with; to move a conversation to the other suite, start a new loop.",
  current: (suite: string) => `New loops of this organization use: ${isolate(suite)}.`,
  save: "Save the encryption choice",
  saved: (suite: string) => `Saved. New loops will use: ${isolate(suite)}.`,
};
