/**
 * "Firefox on Android" from a User-Agent string: enough to recognise a session or a device among
 * one's own, nothing more. The server names sessions with it; the browser names its device with it.
 */
export function describeClient(userAgent: string | undefined): string {
  if (!userAgent) return "unknown";
  const ua = userAgent.slice(0, 512);
  const browser =
    /Edg\//.test(ua) ? "Edge" :
    /OPR\//.test(ua) ? "Opera" :
    /Firefox\//.test(ua) ? "Firefox" :
    /Chrom(e|ium)\//.test(ua) ? "Chrome" :
    /Safari\//.test(ua) ? "Safari" :
    /^commune-cli/i.test(ua) ? "Commune CLI" :
    /^node|undici/i.test(ua) ? "Commune client" : null;
  const os =
    /Android/.test(ua) ? "Android" :
    /iPhone|iPad|iOS/.test(ua) ? "iOS" :
    /Windows/.test(ua) ? "Windows" :
    /Mac OS X|Macintosh/.test(ua) ? "macOS" :
    /CrOS/.test(ua) ? "ChromeOS" :
    /Linux/.test(ua) ? "Linux" : null;
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? os ?? "unknown";
}
