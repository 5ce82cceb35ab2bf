/** A loop stopped on this device because the server sent a change that breaks its rules (English, the reference). */
import type { PolicyRule } from "@commune/client";

export const loopRulesEn = {
  title: "The server sent a change that breaks this loop’s rules",
  reasons: {
    committer_not_member: "it came from someone who is not in the loop",
    outsider_added: "it adds a device of someone who is not in the loop",
    member_removed: "it removes someone who is still in the loop",
    outsider_joined: "someone who is not in the loop tried to join it by themselves",
    direct_overflow: "it brings a third person into a conversation between two",
    forbidden_proposal: "it changes the loop’s encryption settings in a way Commune never does",
    outsider_in_group: "the invitation to this loop includes a device of someone who is not in it",
  } satisfies Record<PolicyRule, string> as Record<PolicyRule, string>,
  why: (reason: string) => `This device refused it: ${reason}.`,
  what: "Nothing more is read or sent in this loop on this device, so nobody let in this way can read what you write. Tell an organizer by another way than this loop, and start a new loop to go on talking.",
};
