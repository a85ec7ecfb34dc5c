import type { DrizzleD1Database } from 'drizzle-orm/d1'

/** The drizzle handle every D1 store module builds its statements on (no relational schema). */
export type Db = DrizzleD1Database<Record<string, never>>
