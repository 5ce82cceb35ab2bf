/** Réglages des boucles de l’organisation : la suite de chiffrement MLS des nouvelles boucles (français). */
import { isolate } from "../format.ts";
import type { orgSettingsEn } from "./en.ts";

export const orgSettingsFr: typeof orgSettingsEn = {
  loopSuiteTitle: "Chiffrement des nouvelles boucles",
  loopSuiteIntro:
    "Chaque boucle est chiffrée de bout en bout : seuls les appareils des personnes qui en font partie peuvent la lire. Choisissez comment les nouvelles boucles de cette organisation sont chiffrées.",
  loopSuiteLegend: "Suite de chiffrement des nouvelles boucles",
  standard: "Standard (X25519)",
  standardHint: "Rapide et compacte. Sûre face à tous les ordinateurs qui existent aujourd’hui.",
  postQuantum: "Hybride post-quantique (X-Wing)",
  postQuantumHint:
    "Ajoute ML-KEM, un algorithme post-quantique, à X25519 : ce qui est envoyé aujourd’hui reste secret même si quelqu’un l’enregistre et construit plus tard un grand ordinateur quantique.",
  costsTitle: "Ce que coûte la suite post-quantique",
  costs: [
    "Les messages gardent leur taille ; les changements de qui fait partie d’une boucle deviennent bien plus lourds.",
    "Ajouter quelqu’un à une boucle de 100 personnes prend environ 58 ms au lieu de 26 ms sur un appareil, et l’invitation que ses appareils téléchargent pèse environ 149 ko au lieu de 20 ko.",
    "Retirer quelqu’un d’une boucle de 1 000 personnes peut envoyer environ 1,2 Mo au lieu de 83 ko ; elle convient aux boucles d’au plus 800 personnes environ.",
    "Chaque appareil stocke environ 5 ko par personne d’une boucle au lieu de 1 ko.",
  ],
  existing:
    "Seules les nouvelles boucles suivent ce choix. Les boucles existantes gardent la suite avec laquelle elles ont été créées ; pour passer une conversation à l’autre suite, créez une nouvelle boucle.",
  current: (suite: string) => `Les nouvelles boucles de cette organisation utilisent : ${isolate(suite)}.`,
  save: "Enregistrer le choix de chiffrement",
  saved: (suite: string) => `Enregistré. Les nouvelles boucles utiliseront : ${isolate(suite)}.`,
};
