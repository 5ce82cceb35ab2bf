export const attachmentsTable = "attachments";
/** An attachment, encrypted on the sender's device with a key that travels inside the MLS message. */
export interface AttachmentsTable {
  /** Also its blob id in the blob store. */
  id: string;
  room_id: string;
  uploader_device_id: string;
  size: number;
  created_at: number;
  expires_at: number | null;
}
