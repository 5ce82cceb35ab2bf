export { ERROR_STATUS, PROBLEM_CONTENT_TYPE, isErrorCode, problemType } from "./errors.ts";
export type { ErrorCode, FieldIssue, Problem } from "./errors.ts";
export { USERNAME_MAX, USERNAME_MIN, normalizeUsername, usernameProblem } from "./usernames.ts";
export type { UsernameProblem } from "./usernames.ts";
export {
  LANGUAGES,
  MAX_INVITE_HOURS,
  MAX_INVITE_USES,
  PASSWORD_MAX,
  PASSWORD_MIN,
  ROLES,
  SLUG_PATTERN,
  deviceProofMessage,
} from "./constants.ts";
export type { Language, Role } from "./constants.ts";
export {
  ChangePassword,
  ChangeRole,
  CreateCircle,
  CreateInvite,
  CreateOrganization,
  DeleteAccount,
  DeviceRegistration,
  ListQuery,
  SignIn,
  SignUp,
  UpdateAccount,
  UpdateCircle,
  UpdateOrganization,
  slug,
} from "./schemas.ts";
export { describeClient } from "./user-agent.ts";
export {
  ClaimKeyPackages,
  COMMIT_DATA_MAX,
  CreateRoom,
  DEFAULT_MLS_SUITE,
  DISAPPEARING_MAX,
  DISAPPEARING_MIN,
  EPHEMERAL_MAX_CHARS,
  EphemeralFrame,
  EventsQuery,
  MembershipQuery,
  MLS_SUITES,
  PublishKeyPackages,
  SendMessage,
  SubmitCommit,
  UpdateRoom,
} from "./loops.ts";
export type { ClaimResult, ClaimedKeyPackage, KeyPackageStock, MlsSuite, RealtimeFrame, Room, RoomDetail, RoomEvent, RoomMemberDevices, RoomMembership, Welcome } from "./loops.ts";
export type * from "./types.ts";
export {
  CreatePetition,
  FIELD_SETTINGS,
  PETITION_BODY_MAX,
  PETITION_GOAL_MAX,
  PETITION_TEXT_FIELDS,
  PUBLIC_NAMES_SHOWN,
  PetitionFields,
  PetitionText,
  RETENTION_DAYS_MAX,
  SEALED_SIGNATURE_MAX,
  SIGNER_FIELD_MAX,
  SignPetition,
  SignatureToken,
  SignaturesQuery,
  UpdatePetition,
  petitionSealInfo,
  signaturePayloadProblems,
} from "./petitions.ts";
export type {
  FieldSetting,
  Petition,
  PetitionProgress,
  PetitionState,
  PetitionStatus,
  PetitionTextField,
  PublicPetition,
  SealedSignature,
  SignatureConfirmation,
  SignaturePayload,
  SignatureReceipt,
} from "./petitions.ts";
export { CreatePowChallenge, POW_PAYLOAD_MAX, PowSolutionPayload, POW_PURPOSE_MAX, POW_PURPOSE_PATTERN } from "./proof-of-work.ts";
export type { PowChallenge, PowChallengeParameters } from "./proof-of-work.ts";
export { AddKeyGrants, CreateOrganizationKey, MAX_GRANTS_PER_REQUEST, MAX_ORGANIZATION_KEYS, PublishSealKey, ReplaceRecoveryKey, sealKeyProofMessage } from "./organization-keys.ts";
export type { AdminDeviceKeyState, KeyGrant, OrganizationKeyInfo, OrganizationKeysStatus, OrganizationPublicKey, RecoveryCopyInfo } from "./organization-keys.ts";
export {
  AnswerForm,
  CreateForm,
  FORM_CHOICES_MAX,
  FORM_INTRO_MAX,
  FORM_ITEM_ID,
  FORM_NUMBER_LIMIT,
  FORM_QUESTIONS_MAX,
  FORM_RESPONSE_LIMIT_MAX,
  FormQuestion,
  FormText,
  LONG_TEXT_MAX,
  QUESTION_KINDS,
  QuestionText,
  ResponseToken,
  ResponsesQuery,
  SEALED_RESPONSE_MAX,
  SHORT_TEXT_MAX,
  UpdateForm,
  answerProblems,
  fitsSealedResponse,
  formPowPurpose,
  formSealInfo,
  formTextIn,
  isCalendarDate,
  isEmailAddress,
  isUnanswered,
} from "./forms.ts";
export type {
  AnswerProblem,
  AnswerProblemKind,
  AnswerValue,
  Form,
  FormAnswers,
  FormDefinition,
  FormState,
  FormStatus,
  PublicForm,
  QuestionKind,
  ResponseConfirmation,
  ResponsePayload,
  ResponseReceipt,
  SealedResponse,
} from "./forms.ts";
