/** The one PublicApi of the public pages: same origin, no cookie, no account. */
import { PublicApi } from "@commune/client/public";

export const api = new PublicApi({ baseUrl: "" });

/** The address of a petition's event stream of progress (Server-Sent Events, event `progress`). */
export function liveUrl(slug: string): string {
  return `${api.baseUrl}/api/v1/public/petitions/${encodeURIComponent(slug)}/live`;
}
