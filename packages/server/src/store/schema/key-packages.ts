export const keyPackagesTable = "key_packages";
/** MLS KeyPackages a device published; one is handed out (and deleted) per add, except the last-resort one. */
export interface KeyPackagesTable {
  id: string;
  device_id: string;
  /** MLS cipher suite name the package is for. */
  suite: string;
  /** The encoded KeyPackage (an MLSMessage), base64url. */
  data: string;
  last_resort: number;
  created_at: number;
}
