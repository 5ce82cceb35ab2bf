/**
 * For loop tests that act as a device going around its engine (a member who crafts commits by
 * hand): the MLS group a LoopEngine saved for a room, and what tests compare messages by.
 */
import assert from "node:assert/strict";
import { fromBase64Url, toBase64Url } from "@commune/crypto";
import { decodeState, type MlsGroup } from "@commune/crypto/mls";
import type { LoopEngine } from "@commune/client";

/** The group this device saved for the room (its state on disk, not the engine's memory). */
export async function savedGroup(engine: LoopEngine, roomId: string): Promise<MlsGroup> {
  const saved = await engine.store.get(`room:${roomId}`);
  assert.ok(saved, "the device saved the loop's state");
  const { state } = JSON.parse(new TextDecoder().decode(saved)) as { state: string };
  const decoded = await decodeState(fromBase64Url(state));
  assert.ok(decoded.ok);
  return decoded.group;
}

/** A client-chosen id for a commit or a message. */
export const randomId = () => toBase64Url(crypto.getRandomValues(new Uint8Array(12)));

/** The texts of messages (other kinds by their type), in order. */
export const texts = (messages: readonly { content: { type: string; body?: string } }[]) => messages.map((m) => (m.content.type === "text" ? m.content.body : m.content.type));
