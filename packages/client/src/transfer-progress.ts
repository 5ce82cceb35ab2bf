/**
 * Uploads and downloads that say how far along they are. `fetch` reports download progress
 * through its body stream, but not upload progress: a streamed request body only says how fast
 * the browser pulls from the stream (not what reached the server), and Chromium sends streamed
 * bodies over HTTP/2 only. XMLHttpRequest's `upload.onprogress` counts bytes actually written to
 * the connection on every HTTP version, so uploads with progress go through it where it exists
 * (browsers); elsewhere (Node) the upload is one fetch and progress jumps from 0 to done.
 */
import { toApiError } from "./errors.ts";

/** Called with bytes done and bytes in all (0 when the server did not say how many). */
export type OnProgress = (done: number, total: number) => void;

export interface TransferOptions {
  readonly onProgress?: OnProgress;
  readonly signal?: AbortSignal;
}

/** POSTs bytes with XMLHttpRequest, reporting upload progress; resolves with the parsed JSON answer. */
export function xhrUpload<T>(url: string, body: Uint8Array<ArrayBuffer>, headers: Record<string, string>, options: TransferOptions): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.withCredentials = true;
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.responseType = "arraybuffer";
    xhr.upload.onprogress = (e) => options.onProgress?.(e.loaded, e.lengthComputable ? e.total : body.byteLength);
    const abort = () => xhr.abort();
    options.signal?.addEventListener("abort", abort, { once: true });
    const done = () => options.signal?.removeEventListener("abort", abort);
    xhr.onload = () => {
      done();
      const response = new Response(xhr.status === 204 ? null : (xhr.response as ArrayBuffer), {
        status: xhr.status,
        headers: { "content-type": xhr.getResponseHeader("content-type") ?? "application/octet-stream" },
      });
      if (!response.ok) return void toApiError(response).then(reject, reject);
      response.json().then((value) => resolve(value as T), reject);
    };
    // the same errors fetch gives, so callers tell "offline" from "refused" the same way
    xhr.onerror = () => (done(), reject(new TypeError("the upload failed: the network connection was lost")));
    xhr.onabort = () => (done(), reject(new DOMException("the upload was cancelled", "AbortError")));
    options.onProgress?.(0, body.byteLength);
    xhr.send(body);
  });
}

/** Reads a response body to the end, reporting progress against its Content-Length. */
export async function readWithProgress(response: Response, onProgress: OnProgress): Promise<Uint8Array<ArrayBuffer>> {
  const total = Number(response.headers.get("content-length")) || 0;
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    onProgress(bytes.byteLength, bytes.byteLength);
    return bytes;
  }
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let received = 0;
  onProgress(0, total);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    received += value.byteLength;
    onProgress(received, Math.max(total, received));
  }
  const out = new Uint8Array(received);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}
