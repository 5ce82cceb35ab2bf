/** The light entry for pages without an account: petitions (and forms) of the public. */
export { PublicApi } from "./public-api.ts";
export type { PublicApiOptions } from "./public-api.ts";
export { SignerInputError, confirmSignature, publicPetition, sealSignature, signPetition, withdrawSignature } from "./sign-petition.ts";
export type { SignOptions, SignResult, SignerAnswers, SigningStage } from "./sign-petition.ts";
export { AnswerInputError, answerForm, confirmResponse, publicForm, sealAnswers } from "./answer-form.ts";
export type { AnswerOptions, AnsweringStage } from "./answer-form.ts";
