import { hash, verify, type Options } from "@node-rs/argon2";

// Algorithm.Argon2id; the package exports it as a const enum, which erasable TypeScript cannot read.
const ARGON2ID = 2;

/**
 * argon2id with OWASP's second recommended profile (19 MiB, 2 passes). The fast profile exists for
 * tests and benchmarks only, and is refused at start-up unless explicitly asked for.
 */
const STRONG: Options = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };
const FAST: Options = { algorithm: ARGON2ID, memoryCost: 1024, timeCost: 1, parallelism: 1 };

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /** Spends the same effort as a real check, for accounts that do not exist. */
  burn(password: string): Promise<void>;
}

export function createPasswordHasher(fast: boolean): PasswordHasher {
  const params = fast ? FAST : STRONG;
  let dummy: Promise<string> | null = null;
  return {
    hash: (password) => hash(password, params),
    async verify(encoded, password) {
      try {
        return await verify(encoded, password);
      } catch {
        return false;
      }
    },
    async burn(password) {
      dummy ??= hash("commune-timing-equalizer", params);
      await verify(await dummy, password).catch(() => false);
    },
  };
}
