/** La clé de l’organisation : sa page, la clé de secours montrée une fois, et que faire après le départ d’un administrateur (français). */
import { isolate } from "../format.ts";
import type { orgKeyEn } from "./en.ts";

export const orgKeyFr: typeof orgKeyEn = {
  nav: "Clé de chiffrement",
  title: "Clé de l’organisation",
  intro:
    "Les signatures de pétitions, les réponses aux formulaires et les fiches des membres sont scellées dans le navigateur de l’expéditeur avec la clé de cette organisation avant d’être envoyées. Le serveur les conserve mais ne peut pas les lire : seuls les appareils des administrateurs de l’organisation détiennent la clé qui les ouvre.",
  protectsTitle: "Ce que la clé protège",
  protects: [
    "Les noms, adresses e-mail et réponses envoyés par les pétitions et les formulaires.",
    "Quiconque copie ou saisit le serveur obtient des données scellées qu’il ne peut pas ouvrir.",
    "La clé elle-même n’arrive jamais lisible sur le serveur : chaque appareil d’administrateur reçoit sa propre copie scellée.",
  ],
  trust:
    "La liste des appareils des administrateurs ci-dessous vient du serveur. Vérifiez qu’elle ne contient que des appareils de personnes que vous savez administratrices : un appareil que vous ne reconnaissez pas pourrait recevoir la clé.",

  recoveryTitle: "Conservez la clé de secours de cette organisation",
  recoveryIntro:
    "La clé de l’organisation n’existe que sur les appareils des administrateurs. Si tous ces appareils sont perdus, cette clé de secours est le seul moyen d’ouvrir à nouveau les signatures et les réponses.",
  recoveryOnce: "C’est la seule fois qu’elle s’affiche. Commune ne la garde pas, et personne — pas même les personnes qui gèrent ce serveur — ne pourra vous la montrer à nouveau.",
  recoveryWhere: [
    "Enregistrez-la dans un gestionnaire de mots de passe, ou imprimez-la ou recopiez-la et rangez le papier en lieu sûr.",
    "Ne l’envoyez pas par e-mail ni par messagerie, et ne la confiez qu’à des personnes autorisées à lire les données de l’organisation.",
  ],
  recoveryLabel: "Clé de secours",
  copy: "Copier",
  copied: "Clé de secours copiée.",
  copyFailed: "Copie automatique impossible : la clé est sélectionnée, copiez-la à la main.",
  download: "Télécharger en fichier texte",
  downloadName: (slug: string) => `commune-cle-de-secours-${slug}.txt`,
  downloadText: (name: string, url: string, key: string) =>
    `Clé de secours de l’organisation « ${name} » sur ${url}\n\n${key}\n\nToute personne qui a cette clé et un compte d’administrateur peut ouvrir les signatures et les réponses de l’organisation. Gardez-la en lieu sûr.\n`,
  stored: "J’ai conservé la clé de secours en lieu sûr",
  storedRequired: "Confirmez que vous avez conservé la clé de secours avant de continuer.",
  continue: "Continuer",

  creatingKey: "Création de la clé de chiffrement de l’organisation…",
  keyFailed: "L’organisation a été créée, mais sa clé de chiffrement n’a pas pu être générée. Ouvrez la page de sa clé pour réessayer.",
  openKeyPage: "Ouvrir la page de la clé",

  noKeyTitle: "Pas encore de clé",
  noKey: "Cette organisation n’a pas encore de clé de chiffrement : les pétitions et les formulaires ne peuvent rien recueillir tant qu’elle n’en a pas.",
  createKey: "Créer la clé",
  thisDeviceHolds: "Cet appareil détient la clé de l’organisation.",
  thisDeviceLacks:
    "Cet appareil ne détient pas encore la clé. Il la reçoit automatiquement quand un autre administrateur ouvre l’organisation ; s’il n’y en a pas d’autre, restaurez-la avec la clé de secours ci-dessous.",
  currentKey: "Clé actuelle",
  madeOn: (date: string, by: string | null) => (by ? `Créée le ${date} par ${isolate(by)}` : `Créée le ${date}`),
  olderKeys: (n: number) =>
    n === 1 ? "1 clé plus ancienne est conservée, pour que les anciennes données restent lisibles." : `${n} clés plus anciennes sont conservées, pour que les anciennes données restent lisibles.`,
  recoverySet: (date: string) => `Clé de secours définie le ${date}.`,
  devicesTitle: "Appareils des administrateurs",
  thisDevice: "cet appareil",
  deviceHas: "A la clé",
  deviceMissing: "En attente de la clé",
  deviceNotReady: "Recevra la clé à sa prochaine ouverture de Commune",
  shareNow: "Donner la clé aux appareils en attente",
  shared: (n: number) => (n === 1 ? "La clé a été donnée à 1 appareil." : `La clé a été donnée à ${n} appareils.`),
  nothingToShare: "Aucun appareil n’attend une clé que cet appareil détient.",

  rotateTitle: "Créer une nouvelle clé",
  rotateBody:
    "À faire après le départ d’un administrateur ou la perte d’un appareil. Les nouvelles signatures et réponses sont scellées avec la nouvelle clé ; ce qui a été scellé avant reste lisible avec les anciennes clés, que les administrateurs conservent. Quelqu’un qui avait l’ancienne clé peut encore lire ce qui a été scellé avec elle — mais rien de ce qui vient ensuite.",
  rotate: "Créer une nouvelle clé",
  rotateConfirmTitle: "Créer une nouvelle clé pour l’organisation ?",
  rotateConfirmBody: "Chaque appareil d’administrateur reçoit la nouvelle clé ; la clé de secours reste la même.",
  rotated: "Une nouvelle clé est en service.",

  recoverTitle: "Restaurer la clé avec la clé de secours",
  recoverBody:
    "Si cet appareil ne détient pas la clé et qu’aucun autre administrateur ne peut la lui donner, saisissez la clé de secours montrée lors de la création de la clé.",
  recoverHint: "56 lettres et chiffres. Les espaces, les tirets et les majuscules ne comptent pas.",
  recover: "Restaurer la clé",
  recovered: "Cet appareil détient maintenant les clés de l’organisation.",
  recoverFormat: "Une clé de secours compte 56 lettres et chiffres. Vérifiez que vous l’avez saisie en entier.",
  recoverTypo: "Cette clé de secours contient une faute de frappe. Vérifiez chaque caractère : 0 et O, 1 et I, 5 et S se confondent facilement.",
  recoverWrong: "Ce n’est pas la clé de secours de cette organisation.",
  recoverNone: "Cette organisation n’a aucune copie de sa clé scellée avec une clé de secours.",

  newRecoveryTitle: "Créer une nouvelle clé de secours",
  newRecoveryBody: "Si la clé de secours est perdue, ou si quelqu’un l’a vue qui n’aurait pas dû, créez-en une nouvelle. L’ancienne cesse aussitôt de fonctionner.",
  newRecovery: "Créer une nouvelle clé de secours",
  newRecoveryConfirmTitle: "Remplacer la clé de secours ?",
  newRecoveryConfirmBody: "La clé de secours actuelle cessera de fonctionner. Conservez la nouvelle en lieu sûr : elle ne s’affiche qu’une fois.",

  needsAllKeys:
    "Cet appareil doit d’abord détenir toutes les clés de l’organisation. Restaurez-les avec la clé de secours, ou attendez qu’un autre administrateur ouvre l’organisation.",
  notReady: "Ce navigateur n’est pas encore prêt. Rechargez la page et réessayez.",
  mismatch:
    "Une copie de la clé ne correspond pas à la clé publique de l’organisation : le serveur a peut-être été altéré. Prévenez l’administrateur de l’instance, et ne vous fiez pas à la clé de cette organisation tant que ce n’est pas expliqué.",

  afterAdminLeft: (name: string) =>
    `${isolate(name)} n’est plus administrateur, et ses appareils ont perdu leur copie de la clé de l’organisation. Un appareil a pu en garder une : pour que tout ce qui sera scellé désormais reste hors de sa portée, créez une nouvelle clé.`,
  rotateNow: "Créer une nouvelle clé maintenant",
};
