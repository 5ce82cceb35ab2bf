/**
 * The few ts-mls functions Commune needs that its index does not export. ts-mls is pinned to an
 * exact version in package.json because of these deep imports; check them when upgrading.
 */
export { makeKeyPackageRef, verifyKeyPackage } from "ts-mls/keyPackage.js";
export { unprotectPrivateMessage } from "ts-mls/messageProtection.js";
export { ratchetTreeFromExtension } from "ts-mls/groupInfo.js";
