/** Une boucle arrêtée sur cet appareil parce que le serveur a envoyé un changement contraire à ses règles (français). */
import type { loopRulesEn } from "./en.ts";

export const loopRulesFr: typeof loopRulesEn = {
  title: "Le serveur a envoyé un changement contraire aux règles de cette boucle",
  reasons: {
    committer_not_member: "il vient de quelqu’un qui ne fait pas partie de la boucle",
    outsider_added: "il ajoute un appareil de quelqu’un qui ne fait pas partie de la boucle",
    member_removed: "il retire quelqu’un qui fait toujours partie de la boucle",
    outsider_joined: "quelqu’un qui ne fait pas partie de la boucle a tenté d’y entrer de lui-même",
    direct_overflow: "il fait entrer une troisième personne dans une conversation à deux",
    forbidden_proposal: "il modifie les réglages de chiffrement de la boucle d’une façon que Commune n’emploie jamais",
    outsider_in_group: "l’invitation à cette boucle contient un appareil de quelqu’un qui n’en fait pas partie",
  },
  why: (reason: string) => `Cet appareil l’a refusé : ${reason}.`,
  what: "Plus rien n’est lu ni envoyé dans cette boucle sur cet appareil : personne entré de cette façon ne peut lire ce que vous écrivez. Prévenez une personne organisatrice par un autre moyen que cette boucle, et créez une nouvelle boucle pour continuer la conversation.",
};
