/**
 * The few ts-mls functions Commune needs that its index does not export. ts-mls is pinned to an
 * exact version in package.json because of these deep imports and of the patch applied to it on
 * install (patches/ts-mls+1.6.4.patch, see docs/architecture.md); check both when upgrading.
 */
export { makeKeyPackageRef, verifyKeyPackage } from "ts-mls/keyPackage.js";
export { unprotectPrivateMessage } from "ts-mls/messageProtection.js";
export { ratchetTreeFromExtension } from "ts-mls/groupInfo.js";

// to read states saved in format 1, before the lazy secret tree (see state-codec.ts)
export { mapDecoder, mapDecoders, type Decoder } from "ts-mls/codec/tlsDecoder.js";
export { decodeBigintMap, decodeVarLenData, decodeVarLenType } from "ts-mls/codec/variableLength.js";
export { decodeGroupContext } from "ts-mls/groupContext.js";
export { decodeKeySchedule } from "ts-mls/keySchedule.js";
export { decodeSecretTreeNode } from "ts-mls/secretTree.js";
export { decodeRatchetTree } from "ts-mls/ratchetTree.js";
export { decodePrivateKeyPath } from "ts-mls/privateKeyPath.js";
export { decodeUnappliedProposals } from "ts-mls/unappliedProposals.js";
export { decodeGroupActiveState } from "ts-mls/groupActiveState.js";
