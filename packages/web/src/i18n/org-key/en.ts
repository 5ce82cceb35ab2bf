/** The organization key: its page, the recovery key shown once, and what to do after an admin leaves (English, the reference). */
import { isolate } from "../format.ts";

export const orgKeyEn = {
  nav: "Encryption key",
  title: "Organization key",
  intro:
    "Petition signatures, form answers and member records are sealed in the sender’s browser to this organization’s key before they are sent. The server stores them but cannot read them: only the devices of this organization’s administrators hold the key that opens them.",
  protectsTitle: "What the key protects",
  protects: [
    "Names, email addresses and answers that people send through petitions and forms.",
    "Anyone who copies or seizes the server gets sealed data they cannot open.",
    "The key itself never reaches the server in readable form: each administrator’s device receives its own sealed copy.",
  ],
  trust:
    "The list of administrators’ devices below comes from the server. Check that it holds only devices of people you know are administrators: a device you do not recognise could receive the key.",

  // the recovery key, shown once
  recoveryTitle: "Keep this organization’s recovery key",
  recoveryIntro:
    "The organization’s key lives only on administrators’ devices. If every one of those devices is lost, this recovery key is the only way to open the signatures and answers again.",
  recoveryOnce: "This is the only time it is shown. Commune does not keep it, and nobody — not even the people who run this server — can show it to you again.",
  recoveryWhere: [
    "Save it in a password manager, or print it or write it down and keep the paper somewhere safe.",
    "Do not send it by email or chat, and only give it to people who may read the organization’s records.",
  ],
  recoveryLabel: "Recovery key",
  copy: "Copy",
  copied: "Recovery key copied.",
  copyFailed: "Couldn’t copy automatically: the key is selected, copy it by hand.",
  download: "Download as a text file",
  downloadName: (slug: string) => `commune-recovery-key-${slug}.txt`,
  downloadText: (name: string, url: string, key: string) =>
    `Recovery key of the organization “${name}” on ${url}\n\n${key}\n\nAnyone who has this key and an administrator account can open the organization’s signatures and answers. Keep it safe.\n`,
  stored: "I have stored the recovery key somewhere safe",
  storedRequired: "Confirm that you have stored the recovery key before you continue.",
  continue: "Continue",

  // right after creating an organization
  creatingKey: "Creating the organization’s encryption key…",
  keyFailed: "The organization was created, but its encryption key could not be made. Open its key page to try again.",
  openKeyPage: "Open the key page",

  // status
  noKeyTitle: "No key yet",
  noKey: "This organization has no encryption key yet: petitions and forms cannot collect anything until it has one.",
  createKey: "Create the key",
  thisDeviceHolds: "This device holds the organization’s key.",
  thisDeviceLacks:
    "This device does not hold the key yet. It receives it automatically when another administrator opens the organization; if there is no one else, restore it with the recovery key below.",
  currentKey: "Current key",
  madeOn: (date: string, by: string | null) => (by ? `Made on ${date} by ${isolate(by)}` : `Made on ${date}`),
  olderKeys: (n: number) => (n === 1 ? "1 older key is kept, so older records stay readable." : `${n} older keys are kept, so older records stay readable.`),
  recoverySet: (date: string) => `Recovery key set on ${date}.`,
  devicesTitle: "Administrators’ devices",
  thisDevice: "this device",
  deviceHas: "Has the key",
  deviceMissing: "Waiting for the key",
  deviceNotReady: "Receives the key after it next opens Commune",
  shareNow: "Give the key to waiting devices",
  shared: (n: number) => (n === 1 ? "The key was given to 1 device." : `The key was given to ${n} devices.`),
  nothingToShare: "No device is waiting for a key this device holds.",

  // rotation
  rotateTitle: "Make a new key",
  rotateBody:
    "Do this after an administrator leaves or a device is lost. New signatures and answers are sealed to the new key; what was sealed before stays readable with the old keys, which administrators keep. Someone who had the old key can still read what was sealed to it — but nothing that comes after.",
  rotate: "Make a new key",
  rotateConfirmTitle: "Make a new organization key?",
  rotateConfirmBody: "Every administrator’s device receives the new key; the recovery key stays the same.",
  rotated: "A new key is in use.",

  // recovery
  recoverTitle: "Restore the key with the recovery key",
  recoverBody: "If this device does not hold the key and no other administrator can give it, enter the recovery key that was shown when the key was created.",
  recoverHint: "56 letters and digits. Spaces, hyphens and capital letters don’t matter.",
  recover: "Restore the key",
  recovered: "This device now holds the organization’s keys.",
  recoverFormat: "A recovery key has 56 letters and digits. Check that you entered all of it.",
  recoverTypo: "This recovery key has a typo. Check each character: 0 and O, 1 and I, 5 and S are easy to mix up.",
  recoverWrong: "This is not this organization’s recovery key.",
  recoverNone: "This organization has no copy of its key sealed to a recovery key.",

  // new recovery key
  newRecoveryTitle: "Make a new recovery key",
  newRecoveryBody: "If the recovery key is lost, or someone saw it who should not have, make a new one. The old one stops working at once.",
  newRecovery: "Make a new recovery key",
  newRecoveryConfirmTitle: "Replace the recovery key?",
  newRecoveryConfirmBody: "The current recovery key will stop working. Keep the new one safe: it is shown only once.",

  // problems on this side
  needsAllKeys: "This device must hold every key of the organization first. Restore them with the recovery key, or wait until another administrator opens the organization.",
  notReady: "This browser is not ready yet. Reload the page and try again.",
  mismatch:
    "A copy of the key did not match the organization’s public key: the server may have been tampered with. Tell the instance administrator, and do not rely on this organization’s key until it is explained.",

  // after an admin leaves
  afterAdminLeft: (name: string) =>
    `${isolate(name)} is no longer an administrator, and their devices lost their copy of the organization key. A device may still have kept one: to keep everything sealed from now on out of their reach, make a new key.`,
  rotateNow: "Make a new key now",
};
