/** Numéros de sécurité, contacts vérifiés, alertes de changement de clés et avis « nouvel appareil » (français). */
import { isolate, pluralizer } from "../format.ts";
import type { safetyEn } from "./en.ts";

const p = pluralizer("fr");

export const safetyFr: typeof safetyEn = {
  title: (name: string) => `Numéro de sécurité avec ${isolate(name)}`,
  back: (loop: string) => `Retour à ${isolate(loop)}`,
  intro: (name: string) =>
    `Comparez ce numéro avec celui qui s’affiche chez ${isolate(name)}, côte à côte ou lors d’un appel où vous reconnaissez vos voix. S’ils sont identiques, personne — pas même qui fait tourner le serveur — ne lit par-dessus votre épaule.`,
  numberTitle: "Votre numéro de sécurité",
  numberLabel: (name: string) => `Numéro de sécurité avec ${isolate(name)}, en douze groupes de cinq chiffres`,
  covers: (own: number, theirs: number, name: string) =>
    `${p(own, { one: "Il couvre votre appareil", other: "Il couvre vos # appareils" })} et ${p(theirs, { one: `l’appareil de ${isolate(name)}`, other: `les # appareils de ${isolate(name)}` })}. Un nouvel appareil le change.`,
  qrTitle: "Votre code",
  qrHint: (name: string) => `${isolate(name)} peut scanner ce code depuis la même page sur son téléphone au lieu de lire les chiffres.`,
  qrLabel: (name: string) => `Code QR de votre numéro de sécurité, à scanner par ${isolate(name)}`,
  checkTitle: (name: string) => `Vérifier le numéro de ${isolate(name)}`,
  scan: (name: string) => `Scanner le code de ${isolate(name)}`,
  scanStop: "Arrêter la caméra",
  scanning: "Visez le code avec la caméra. Il est vérifié sur cet appareil ; l’image ne part nulle part.",
  cameraLabel: "Image de la caméra",
  fromPicture: "Ou choisissez une photo du code",
  typeLabel: (name: string) => `Ou tapez les 60 chiffres que ${isolate(name)} vous lit`,
  typeHint: "Les espaces n’ont pas d’importance.",
  compare: "Comparer",
  match: (name: string) => `Les numéros sont identiques. Vos conversations avec ${isolate(name)} sont chiffrées avec les clés que vous voyez tous les deux.`,
  markVerified: (name: string) => `Marquer ${isolate(name)} comme vérifié·e`,
  verifiedNow: (name: string) => `${isolate(name)} est vérifié·e sur cet appareil.`,
  mismatch: (name: string) =>
    `Ces numéros ne correspondent pas. Soit l’un de vous regarde un ancien numéro — rouvrez tous les deux cette page et comparez encore —, soit un appareil ou une clé qui n’est pas celle de ${isolate(name)} a été glissé entre vous, peut-être par qui fait tourner le serveur. Tant qu’ils ne correspondent pas, ne partagez rien de sensible avec ${isolate(name)}. Demandez-lui de vérifier sa liste d’appareils (Compte › Appareils) et de retirer ceux qu’il ou elle ne connaît pas.`,
  invalidNumber: "Ce n’est pas un numéro de sécurité complet : il compte 60 chiffres. Vérifiez que vous avez tapé les douze groupes.",
  invalidCode: "Ce code n’est pas un numéro de sécurité Commune. Scannez le code affiché sur la page « numéro de sécurité » de l’autre personne.",
  noCodeInPicture: "Aucun code trouvé sur cette image. Essayez une photo plus nette, ou tapez les chiffres.",
  keysMoved: (name: string) => `Les clés de ${isolate(name)} ont changé pendant la comparaison. Le numéro ci-dessus est le nouveau : comparez à nouveau.`,
  cameraDenied: "La caméra n’a pas été autorisée. Autorisez-la pour ce site dans les réglages du navigateur, ou tapez les chiffres.",
  cameraMissing: "Aucune caméra trouvée. Choisissez une photo du code, ou tapez les chiffres.",
  cameraUnavailable: "La caméra n’est pas utilisable ici (il faut une adresse sécurisée https://). Choisissez une photo du code, ou tapez les chiffres.",
  statusTitle: "Vérification",
  verifiedOn: (name: string, date: string) => `Vous avez vérifié ${isolate(name)} le ${date}.`,
  changedSince: (name: string) => `Le numéro de sécurité de ${isolate(name)} a changé depuis votre vérification. Comparez à nouveau.`,
  notVerified: (name: string) => `Vous n’avez pas vérifié ${isolate(name)} sur cet appareil.`,
  unverify: "Retirer la vérification",
  unverified: (name: string) => `${isolate(name)} n’est plus marqué·e comme vérifié·e.`,
  deviceOnly: "Les vérifications sont gardées sur cet appareil seulement. Vos autres appareils ont les leurs.",
  notShared: (name: string) =>
    `Cet appareil n’est encore dans aucune boucle avec ${isolate(name)} : il n’y a pas de numéro à comparer. Ouvrez une boucle que vous partagez, attendez qu’elle soit prête, puis revenez.`,
  notFound: "Cette personne n’est pas dans cette boucle.",
  loading: "Calcul du numéro de sécurité…",
  verified: "Vérifié",
  changed: "Changé",
  verifiedLabel: (name: string) => `${isolate(name)} : vérifié·e`,
  changedLabel: (name: string) => `${isolate(name)} : numéro de sécurité changé depuis votre vérification`,
  safetyLink: "Numéro de sécurité",
  safetyLinkLabel: (name: string) => `Numéro de sécurité avec ${isolate(name)}`,
  warningsTitle: "Numéros de sécurité",
  changeWarning: (name: string) => `Le numéro de sécurité de ${isolate(name)} a changé — comparez à nouveau.`,
  changeWhy: (name: string) =>
    `Cela arrive quand ${isolate(name)} ajoute ou retire un appareil. Si ce n’est pas le cas, ou si vous ne pouvez pas lui demander, comparez les numéros avant de partager quoi que ce soit de sensible.`,
  changeVerified: (name: string) => `Vous aviez vérifié ${isolate(name)} : cette marque ne vaut plus.`,
  compareAgain: "Comparer",
  compareAgainLabel: (name: string) => `Comparer les numéros de sécurité avec ${isolate(name)}`,
  acknowledge: "Compris",
  acknowledgeLabel: (name: string) => `Masquer l’alerte concernant ${isolate(name)}`,
  earlier: (count: number, more: boolean) =>
    more
      ? `Plus de ${p(count, { other: "# messages" })} de cette boucle ont été envoyés avant que cet appareil la rejoigne.`
      : p(count, {
          one: "# message de cette boucle a été envoyé avant que cet appareil la rejoigne.",
          other: "# messages de cette boucle ont été envoyés avant que cet appareil la rejoigne.",
        }),
  earlierWhy:
    "Ils ne peuvent pas être lus sur cet appareil, et personne ne peut les rendre lisibles : un appareil ne reçoit les clés qu’à partir du moment où il rejoint la boucle, si bien qu’un téléphone perdu ou saisi plus tard ne peut pas ouvrir le passé. Vos appareils qui étaient déjà dans la boucle les affichent toujours.",
};
