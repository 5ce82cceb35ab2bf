/**
 * Reading the other person's QR code: from the camera (getUserMedia, frames decoded by jsQR on
 * this device) or from a picture the person chooses. No frame or picture leaves the browser.
 */
import jsqrModule from "jsqr";
import { useEffect, useRef } from "react";

// jsqr is CommonJS with `exports.default`: TypeScript (nodenext) types the default import as the
// module object, while the bundler hands over the function itself. Take whichever arrives.
const jsQR: typeof jsqrModule.default = typeof jsqrModule === "function" ? jsqrModule : jsqrModule.default;

/** Why the camera could not start, for a sentence that says what to do instead. */
export type CameraProblem = "denied" | "missing" | "unavailable";

/** Decoding works on at most this many pixels across: enough for a code held up to a camera, and fast on a phone. */
const MAX_SIDE = 800;

function decode(source: CanvasImageSource, width: number, height: number, canvas: HTMLCanvasElement, thorough: boolean): string | null {
  const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  canvas.width = w;
  canvas.height = h;
  const context = canvas.getContext("2d", { willReadFrequently: true });
  if (!context) return null;
  context.drawImage(source, 0, 0, w, h);
  const { data } = context.getImageData(0, 0, w, h);
  // a live camera gets many tries, so each frame is decoded once; a picture gets one thorough try
  return jsQR(data, w, h, { inversionAttempts: thorough ? "attemptBoth" : "dontInvert" })?.data ?? null;
}

/** The text of the QR code in a picture, or null when none is found. */
export async function decodePicture(file: Blob): Promise<string | null> {
  const bitmap = await createImageBitmap(file);
  try {
    return decode(bitmap, bitmap.width, bitmap.height, document.createElement("canvas"), true);
  } finally {
    bitmap.close();
  }
}

/**
 * The camera's view, decoding frames until a code is read. Mounted only while scanning: unmounting
 * stops the camera.
 */
export function CameraScanner({ label, onCode, onProblem }: { label: string; onCode: (text: string) => void; onProblem: (problem: CameraProblem) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const handlers = useRef({ onCode, onProblem });
  handlers.current = { onCode, onProblem };

  useEffect(() => {
    let stream: MediaStream | null = null;
    let frame = 0;
    let stopped = false;
    const canvas = document.createElement("canvas");
    const tick = () => {
      if (stopped) return;
      const v = video.current;
      if (v && v.readyState >= v.HAVE_CURRENT_DATA && v.videoWidth > 0) {
        const text = decode(v, v.videoWidth, v.videoHeight, canvas, false);
        if (text) {
          handlers.current.onCode(text);
          return;
        }
      }
      frame = requestAnimationFrame(tick);
    };
    void (async () => {
      if (!navigator.mediaDevices?.getUserMedia) {
        handlers.current.onProblem("unavailable");
        return;
      }
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      } catch (error) {
        const name = (error as { name?: string }).name;
        handlers.current.onProblem(name === "NotAllowedError" || name === "SecurityError" ? "denied" : name === "NotFoundError" || name === "OverconstrainedError" ? "missing" : "unavailable");
        return;
      }
      if (stopped || !video.current) {
        stream.getTracks().forEach((track) => track.stop());
        return;
      }
      video.current.srcObject = stream;
      await video.current.play().catch(() => {});
      frame = requestAnimationFrame(tick);
    })();
    return () => {
      stopped = true;
      cancelAnimationFrame(frame);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, []);

  return <video ref={video} className="safety-camera" aria-label={label} muted playsInline />;
}
