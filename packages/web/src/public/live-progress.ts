/**
 * The petition's counter and latest public names, kept current by the server's event stream. The
 * browser's EventSource reconnects by itself after a network drop.
 */
import type { PetitionProgress, PublicPetition } from "@commune/protocol";
import { useEffect, useState } from "react";
import { liveUrl } from "./api.ts";

function isProgress(value: unknown): value is PetitionProgress {
  if (!value || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  return typeof v.count === "number" && Array.isArray(v.publicNames) && v.publicNames.every((n) => typeof n === "string");
}

export function useLiveProgress(petition: PublicPetition): [PetitionProgress, (progress: PetitionProgress) => void] {
  const [progress, setProgress] = useState<PetitionProgress>({ count: petition.count, publicNames: petition.publicNames });
  useEffect(() => setProgress({ count: petition.count, publicNames: petition.publicNames }), [petition]);
  const live = petition.state !== "closed";
  useEffect(() => {
    if (!live || typeof EventSource === "undefined") return;
    const source = new EventSource(liveUrl(petition.slug));
    source.addEventListener("progress", (event) => {
      try {
        const data: unknown = JSON.parse((event as MessageEvent<string>).data);
        if (isProgress(data)) setProgress(data);
      } catch {
        // a garbled event: the next one brings the whole state again
      }
    });
    return () => source.close();
  }, [petition.slug, live]);
  return [progress, setProgress];
}
