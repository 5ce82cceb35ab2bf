import type { Kysely } from "kysely";
import type { Dialect } from "../database.ts";
import * as m001 from "./001-initial.ts";
import * as m002 from "./002-instance-admin-index.ts";
import * as m003 from "./003-loops.ts";
import * as m004 from "./004-attachments.ts";
import * as m005a from "./005-organization-loop-suite.ts";
import * as m005b from "./005-room-membership-log.ts";
import * as m006 from "./006-organization-keys.ts";
import * as m007 from "./007-proof-of-work.ts";
import * as m008 from "./008-petitions.ts";
import * as m009 from "./009-forms.ts";

export interface StoreMigration {
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
  down(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
}

/** Every migration, in order. Names are permanent: they are recorded in the database. */
export const migrations: Readonly<Record<string, StoreMigration>> = {
  "001-initial": m001,
  "002-instance-admin-index": m002,
  "003-loops": m003,
  "004-attachments": m004,
  "005-organization-loop-suite": m005a,
  "005-room-membership-log": m005b,
  "006-organization-keys": m006,
  "007-proof-of-work": m007,
  "008-petitions": m008,
  "009-forms": m009,
};
