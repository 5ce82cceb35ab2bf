/** Decoding MLSMessages from untrusted bytes: all of the bytes, one message, or "malformed". */
import { decodeMlsMessage, type MLSMessage } from "ts-mls";
import { MlsOperationError } from "./errors.ts";

/** The largest message accepted (a Welcome to a 5,000-member group is ~1.1 MB with its tree). */
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

export function decodeMessage(bytes: Uint8Array): MLSMessage {
  if (!(bytes instanceof Uint8Array)) throw new TypeError("expected a Uint8Array");
  if (bytes.length > MAX_MESSAGE_BYTES) throw new MlsOperationError("malformed", `message of ${bytes.length} bytes is too large`);
  let decoded: ReturnType<typeof decodeMlsMessage>;
  try {
    decoded = decodeMlsMessage(bytes, 0);
  } catch (e) {
    throw new MlsOperationError("malformed", `not an MLS message (${e instanceof Error ? e.message : "decode error"})`);
  }
  if (!decoded) throw new MlsOperationError("malformed", "not an MLS message");
  if (decoded[1] !== bytes.length) throw new MlsOperationError("malformed", `${bytes.length - decoded[1]} trailing bytes after the MLS message`);
  if (decoded[0].version !== "mls10") throw new MlsOperationError("unsupported", "not MLS 1.0");
  return decoded[0];
}

export function expectWireformat<W extends MLSMessage["wireformat"]>(message: MLSMessage, wireformat: W): Extract<MLSMessage, { wireformat: W }> {
  if (message.wireformat !== wireformat) throw new MlsOperationError("malformed", `expected ${wireformat}, got ${message.wireformat}`);
  return message as Extract<MLSMessage, { wireformat: W }>;
}
