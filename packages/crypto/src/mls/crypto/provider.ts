/**
 * The ts-mls CryptoProvider Commune uses: symmetric work (hash, HMAC, HKDF, AES-GCM) synchronous
 * on @noble, public-key work (X25519, Ed25519) on WebCrypto where available — see symmetric.ts and
 * asymmetric.ts for why. The other provider ("ts-mls") is ts-mls's own default, all WebCrypto
 * through @hpke/core; it stays selectable for comparison (the benchmark runs both).
 */
import { defaultCryptoProvider, type CiphersuiteImpl, type CryptoProvider, type Signature } from "ts-mls";
import { asymmetricOps, type Backend, type Ed25519Ops } from "./asymmetric.ts";
import { dhkemX25519, makeHpke, type Kem } from "./hpke.ts";
import { makeHash, makeKdf } from "./symmetric.ts";
import { xwing } from "./xwing.ts";

export type ProviderName = "commune" | "ts-mls";

/** getRandomValues fills at most 65,536 bytes per call. */
function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65_536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65_536)));
  return out;
}

function signature(ed: Ed25519Ops): Signature {
  return {
    sign: (key, message) => ed.sign(key, message),
    verify: (publicKey, message, sig) => ed.verify(publicKey, message, sig),
    async keygen() {
      const { privateKey, publicKey } = await ed.generateKeyPair();
      return { signKey: privateKey, publicKey };
    },
  };
}

/** `backend` forces the public-key operations to one implementation; "auto" picks WebCrypto when present. */
export function communeCryptoProvider(backend: Backend | "auto" = "auto"): CryptoProvider {
  return {
    async getCiphersuiteImpl(cs): Promise<CiphersuiteImpl> {
      if (cs.signature !== "Ed25519") throw new Error(`signature ${cs.signature} is not supported by Commune's provider`);
      const ops = await asymmetricOps(backend);
      let kem: Kem;
      if (cs.hpke.kem === "DHKEM-X25519-HKDF-SHA256") kem = dhkemX25519(ops.x25519);
      else if (cs.hpke.kem === "X-Wing") kem = xwing(ops.x25519);
      else throw new Error(`KEM ${cs.hpke.kem} is not supported by Commune's provider`);
      return {
        hash: makeHash(cs.hash),
        kdf: makeKdf(cs.hpke.kdf),
        hpke: makeHpke(kem, cs.hpke.kdf, cs.hpke.aead),
        signature: signature(ops.ed25519),
        rng: { randomBytes },
        name: cs.name,
      };
    },
  };
}

export function cryptoProvider(name: ProviderName): CryptoProvider {
  return name === "ts-mls" ? defaultCryptoProvider : communeCryptoProvider();
}
