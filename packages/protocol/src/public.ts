/**
 * What the public pages (petitions, forms) need from the protocol, without zod: a page that only
 * seals and sends should not download the validation library. Types come from the main entry.
 */
export { ERROR_STATUS, PROBLEM_CONTENT_TYPE, isErrorCode } from "./errors.ts";
export { LANGUAGES } from "./constants.ts";
export {
  FIELD_SETTINGS,
  PETITION_BODY_MAX,
  PETITION_GOAL_MAX,
  PETITION_TEXT_FIELDS,
  PUBLIC_NAMES_SHOWN,
  RETENTION_DAYS_MAX,
  SEALED_SIGNATURE_MAX,
  SIGNER_FIELD_MAX,
  petitionSealInfo,
  signaturePayloadProblems,
} from "./petition-rules.ts";
