/** A small length-prefixed binary format for what this module stores on the device (not on the wire). */

export class ByteWriter {
  readonly #parts: Uint8Array[] = [];
  #length = 0;
  u8(n: number): this {
    return this.raw(Uint8Array.of(n));
  }
  u16(n: number): this {
    return this.raw(Uint8Array.of(n >>> 8, n & 0xff));
  }
  bytes(b: Uint8Array): this {
    const len = new Uint8Array(4);
    new DataView(len.buffer).setUint32(0, b.length);
    return this.raw(len).raw(b);
  }
  raw(b: Uint8Array): this {
    this.#parts.push(b);
    this.#length += b.length;
    return this;
  }
  finish(): Uint8Array {
    const out = new Uint8Array(this.#length);
    let offset = 0;
    for (const p of this.#parts) {
      out.set(p, offset);
      offset += p.length;
    }
    return out;
  }
}

export class ByteReader {
  readonly #bytes: Uint8Array;
  #offset = 0;
  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }
  #take(n: number): Uint8Array {
    if (n > this.#bytes.length - this.#offset) throw new RangeError("truncated");
    const out = this.#bytes.subarray(this.#offset, this.#offset + n);
    this.#offset += n;
    return out;
  }
  u8(): number {
    return this.#take(1)[0]!;
  }
  u16(): number {
    const b = this.#take(2);
    return (b[0]! << 8) | b[1]!;
  }
  bytes(): Uint8Array {
    const len = this.#take(4);
    return this.#take(new DataView(len.buffer, len.byteOffset, 4).getUint32(0)).slice();
  }
  rest(): Uint8Array {
    return this.#take(this.#bytes.length - this.#offset).slice();
  }
  end(): void {
    if (this.#offset !== this.#bytes.length) throw new RangeError("trailing bytes");
  }
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A Map key for bytes (a latin-1 string of them). */
export function bytesKey(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}
