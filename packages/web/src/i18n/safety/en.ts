/** Safety numbers, verified contacts, key-change warnings and the new-device notice (English, the reference). */
import { isolate, pluralizer } from "../format.ts";

const p = pluralizer("en");

export const safetyEn = {
  title: (name: string) => `Safety number with ${isolate(name)}`,
  back: (loop: string) => `Back to ${isolate(loop)}`,
  intro: (name: string) =>
    `Compare this number with the one on ${isolate(name)}’s screen, side by side or over a call where you recognise each other’s voice. If they match, nobody — not even whoever runs the server — is reading along.`,
  numberTitle: "Your safety number",
  numberLabel: (name: string) => `Safety number with ${isolate(name)}, in twelve groups of five digits`,
  covers: (own: number, theirs: number, name: string) =>
    `${p(own, { one: "It covers your # device", other: "It covers your # devices" })} and ${p(theirs, { one: `${isolate(name)}’s # device`, other: `${isolate(name)}’s # devices` })}. A new device changes it.`,
  qrTitle: "Your code",
  qrHint: (name: string) => `${isolate(name)} can scan this code from the same page on their phone instead of reading the digits.`,
  qrLabel: (name: string) => `QR code of your safety number, for ${isolate(name)} to scan`,
  checkTitle: (name: string) => `Check ${isolate(name)}’s number`,
  scan: (name: string) => `Scan ${isolate(name)}’s code`,
  scanStop: "Stop the camera",
  scanning: "Point the camera at the code. It is checked on this device; the picture goes nowhere.",
  cameraLabel: "Camera view",
  fromPicture: "Or choose a picture of the code",
  typeLabel: (name: string) => `Or type the 60 digits ${isolate(name)} reads to you`,
  typeHint: "Spaces don’t matter.",
  compare: "Compare",
  match: (name: string) => `The numbers match. Your conversations with ${isolate(name)} are encrypted with the keys you both see.`,
  markVerified: (name: string) => `Mark ${isolate(name)} as verified`,
  verifiedNow: (name: string) => `${isolate(name)} is verified on this device.`,
  mismatch: (name: string) =>
    `These numbers don’t match. Either one of you is looking at an old number — both of you, open this page again and compare once more — or a device or key that isn’t ${isolate(name)}’s has been put between you, possibly by whoever runs the server. Until they match, don’t share anything sensitive with ${isolate(name)}. Ask them to check their list of devices (Account › Devices) and remove any they don’t know.`,
  invalidNumber: "That isn’t a whole safety number: it has 60 digits. Check that you typed all twelve groups.",
  invalidCode: "That code isn’t a Commune safety number. Scan the code on the safety-number page of the other person.",
  noCodeInPicture: "No code was found in that picture. Try a sharper one, or type the digits.",
  keysMoved: (name: string) => `${isolate(name)}’s keys changed while you were comparing. The number above is the new one: compare again.`,
  cameraDenied: "The camera wasn’t allowed. Allow it for this site in your browser’s settings, or type the digits instead.",
  cameraMissing: "No camera was found. Choose a picture of the code, or type the digits.",
  cameraUnavailable: "The camera can’t be used here (it needs a secure https:// address). Choose a picture of the code, or type the digits.",
  statusTitle: "Verification",
  verifiedOn: (name: string, date: string) => `You verified ${isolate(name)} on ${date}.`,
  changedSince: (name: string) => `${isolate(name)}’s safety number changed since you verified it. Compare again.`,
  notVerified: (name: string) => `You haven’t verified ${isolate(name)} on this device.`,
  unverify: "Remove the verification",
  unverified: (name: string) => `${isolate(name)} is no longer marked verified.`,
  deviceOnly: "Verifications are kept on this device only. Your other devices keep their own.",
  notShared: (name: string) =>
    `This device isn’t in a loop with ${isolate(name)} yet, so there is no number to compare. Open a loop you share, wait until it’s ready, and come back.`,
  notFound: "This person isn’t in this loop.",
  loading: "Working out the safety number…",
  // ---- marks and warnings elsewhere ----
  verified: "Verified",
  changed: "Changed",
  verifiedLabel: (name: string) => `${isolate(name)}: verified`,
  changedLabel: (name: string) => `${isolate(name)}: safety number changed since you verified it`,
  safetyLink: "Safety number",
  safetyLinkLabel: (name: string) => `Safety number with ${isolate(name)}`,
  warningsTitle: "Safety numbers",
  changeWarning: (name: string) => `${isolate(name)}’s safety number changed — compare again.`,
  changeWhy: (name: string) =>
    `This happens when ${isolate(name)} adds or removes a device. If they didn’t, or you can’t ask, compare numbers before you share anything sensitive.`,
  changeVerified: (name: string) => `You had verified ${isolate(name)}: that mark no longer holds.`,
  compareAgain: "Compare",
  compareAgainLabel: (name: string) => `Compare safety numbers with ${isolate(name)}`,
  acknowledge: "Got it",
  acknowledgeLabel: (name: string) => `Dismiss the warning about ${isolate(name)}`,
  // ---- a device that joined after earlier messages ----
  earlier: (count: number, more: boolean) =>
    more
      ? `More than ${p(count, { other: "# messages" })} in this loop were sent before this device joined.`
      : p(count, { one: "# message in this loop was sent before this device joined.", other: "# messages in this loop were sent before this device joined." }),
  earlierWhy:
    "They can’t be read on this device, and no one can make them readable: a device receives keys only from the moment it joins, so a phone that is lost or taken later can’t open the past. Your devices that were in the loop then still show them.",
};
