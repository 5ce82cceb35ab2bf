import type { HttpBindings } from "@hono/node-server";
import type { AppContext } from "../context.ts";
import type { Authenticated } from "../services/sessions.ts";

/** What every handler can read from `c.var` and `c.env`. */
export interface AppEnv {
  Bindings: HttpBindings;
  Variables: {
    ctx: AppContext;
    auth: Authenticated | null;
  };
}
