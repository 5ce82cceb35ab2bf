/** Boundary helpers: read and validate a JSON body, a path parameter, the client's address. */
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import { describeClient } from "@commune/protocol";
import type { z } from "zod";
import { AppError } from "../errors.ts";
import type { AppEnv } from "./env.ts";

export async function readJson<S extends z.ZodType>(c: Context<AppEnv>, schema: S): Promise<z.infer<S>> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/(problem\+)?json\s*(;|$)/i.test(type)) {
    throw new AppError("unsupported_media_type", "Send the body as JSON with Content-Type: application/json.");
  }
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch (error) {
    if (error instanceof SyntaxError) throw new AppError("malformed_json", "The body is not valid JSON.");
    throw error;
  }
  const result = schema.safeParse(body);
  if (!result.success) {
    const issues = result.error.issues.slice(0, 20).map((i) => ({
      path: i.path.map(String).join(".").slice(0, 200),
      message: i.message.slice(0, 200),
    }));
    throw new AppError("validation_failed", "Some fields are missing or not valid.", { issues });
  }
  return result.data as z.infer<S>;
}

export function parseQuery<S extends z.ZodType>(c: Context<AppEnv>, schema: S): z.infer<S> {
  const result = schema.safeParse(c.req.query());
  if (!result.success) {
    throw new AppError("validation_failed", "Some query parameters are not valid.", {
      issues: result.error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join("."), message: i.message.slice(0, 200) })),
    });
  }
  return result.data as z.infer<S>;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const SLUG = /^[a-z0-9-]{1,48}$/;

/** A path parameter that must look like an id (or slug); anything else cannot exist: 404. */
export function param(c: Context<AppEnv>, name: string, kind: "id" | "slug" | "token" = "id"): string {
  const value = c.req.param(name) ?? "";
  const ok = kind === "slug" ? SLUG.test(value) : kind === "token" ? /^[A-Za-z0-9_-]{16,128}$/.test(value) : ID.test(value);
  if (!ok) throw new AppError(kind === "token" ? "invite_invalid" : "not_found", kind === "token" ? "This invite link is not valid." : "Not found.");
  return value;
}

/** The client's address, for rate limits only: kept in memory, never logged or stored. */
export function clientAddress(c: Context<AppEnv>): string {
  if (c.var.ctx.config.trustProxy) {
    const forwarded = c.req.header("x-forwarded-for");
    const last = forwarded?.split(",").pop()?.trim();
    if (last) return last.slice(0, 64);
  }
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}

export function clientDescription(c: Context<AppEnv>): string {
  return describeClient(c.req.header("user-agent"));
}
