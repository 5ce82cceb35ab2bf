/**
 * The few ts-mls functions Commune needs that its index does not export. ts-mls is pinned to an
 * exact version in package.json because of these deep imports; check them when upgrading.
 */
export { makeKeyPackageRef, verifyKeyPackage } from "ts-mls/keyPackage.js";
export { unprotectPrivateMessage } from "ts-mls/messageProtection.js";
export { ratchetTreeFromExtension } from "ts-mls/groupInfo.js";

// for a state encoder that does not recurse once per tree node (see state-codec.ts)
export { contramapBufferEncoders, encode, type BufferEncoder } from "ts-mls/codec/tlsEncoder.js";
export { lengthEncoder, varLenDataEncoder } from "ts-mls/codec/variableLength.js";
export { optionalEncoder } from "ts-mls/codec/optional.js";
export { uint64Encoder } from "ts-mls/codec/number.js";
export { groupContextEncoder } from "ts-mls/groupContext.js";
export { keyScheduleEncoder } from "ts-mls/keySchedule.js";
export { secretTreeNodeEncoder } from "ts-mls/secretTree.js";
export { nodeEncoder, stripBlankNodes } from "ts-mls/ratchetTree.js";
export { privateKeyPathEncoder } from "ts-mls/privateKeyPath.js";
export { unappliedProposalsEncoder } from "ts-mls/unappliedProposals.js";
export { groupActiveStateEncoder } from "ts-mls/groupActiveState.js";
