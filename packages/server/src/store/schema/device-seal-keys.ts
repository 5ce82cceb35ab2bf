export const deviceSealKeysTable = "device_seal_keys";
/** A device's X25519 public key for sealing (the organization key is sealed to it), one per device. */
export interface DeviceSealKeysTable {
  device_id: string;
  /** Raw X25519 public key, base64url. */
  public_key: string;
  /** The device's Ed25519 signature over `sealKeyProofMessage(account, device, public_key)`. */
  signature: string;
  created_at: number;
}
