/**
 * A QR code drawn as React SVG elements from qrcode-generator's module matrix. Nothing is injected
 * as markup or inline style, so the page's CSP (default-src 'self', no inline styles) holds; dark
 * modules on a white square with a four-module quiet zone, as scanners expect, in any colour scheme.
 */
import qrcode from "qrcode-generator";
import { useId, useMemo } from "react";

const QUIET = 4;

/** One SVG path for all dark modules: a 1×1 square per module, in module units. */
function modulesPath(text: string): { size: number; d: string } {
  // type 0: the smallest version that holds the text; M: ~15% of the code may be unreadable
  const qr = qrcode(0, "M");
  qr.addData(text, "Byte");
  qr.make();
  const count = qr.getModuleCount();
  let d = "";
  for (let row = 0; row < count; row++) {
    for (let col = 0; col < count; col++) if (qr.isDark(row, col)) d += `M${col + QUIET} ${row + QUIET}h1v1h-1z`;
  }
  return { size: count + 2 * QUIET, d };
}

export function QrCode({ text, label, pixels = 264 }: { text: string; label: string; pixels?: number }) {
  const { size, d } = useMemo(() => modulesPath(text), [text]);
  const titleId = useId();
  return (
    <svg className="safety-qr" role="img" aria-labelledby={titleId} width={pixels} height={pixels} viewBox={`0 0 ${size} ${size}`} shapeRendering="crispEdges">
      <title id={titleId}>{label}</title>
      <rect width={size} height={size} fill="#ffffff" />
      <path d={d} fill="#000000" />
    </svg>
  );
}
