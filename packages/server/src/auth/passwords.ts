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

/**
 * Each argon2id computation holds 19 MiB while it runs; a burst of sign-ins must not stack them
 * without bound (memory) nor fill libuv's thread pool (which file and DNS work share), so at most
 * `MAX_CONCURRENT` run at once and the rest wait their turn.
 */
const MAX_CONCURRENT = 2;

function limiter(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

export function createPasswordHasher(fast: boolean): PasswordHasher {
  const params = fast ? FAST : STRONG;
  const run = limiter(MAX_CONCURRENT);
  let dummy: Promise<string> | null = null;
  const check = (encoded: string, password: string) => run(() => verify(encoded, password)).catch(() => false);
  return {
    hash: (password) => run(() => hash(password, params)),
    verify: check,
    async burn(password) {
      dummy ??= hash("commune-timing-equalizer", params);
      await check(await dummy, password);
    },
  };
}
