/**
 * Databases: SQL that drops or empties tables (typed bare, or given to `psql -c`, `mysql -e`,
 * `sqlite3`, here-documents), Redis `FLUSHALL`, MongoDB drops.
 *
 * @module
 */

import type { Invocation } from "../command.ts";
import type { Rule } from "../rule.ts";
import { stdinLiteral } from "../wrappers.ts";

/** Programs that run SQL (or similar) given as arguments or on stdin. */
const CLIENTS = new Set([
  "psql",
  "mysql",
  "mariadb",
  "sqlite3",
  "sqlite",
  "duckdb",
  "clickhouse-client",
  "clickhouse",
  "cqlsh",
  "sqlcmd",
  "snowsql",
  "bq",
  "cockroach",
  "mongo",
  "mongosh",
  "redis-cli",
  "valkey-cli",
  "keydb-cli",
  "memcached-tool",
  "influx",
  "sqlplus",
  "isql",
  "usql",
  "pgcli",
  "mycli",
  "litecli",
]);

/** SQL keywords that start a statement typed as if it were a command. */
export const SQL_STATEMENTS = new Set([
  "delete",
  "drop",
  "truncate",
  "update",
  "alter",
  "shutdown",
  "flushall",
  "flushdb",
]);

/** Every command the database rules look at. */
const DB_COMMANDS = [...CLIENTS, ...SQL_STATEMENTS, "dropdb", "dropuser"];

/** The database code a command carries, or undefined when it carries none. */
function dbText(c: Invocation): string | undefined {
  if (SQL_STATEMENTS.has(c.key)) return [c.name, ...c.args].join(" ");
  if (!CLIENTS.has(c.key)) return undefined;
  const stdin = stdinLiteral(c);
  return c.args.join(" ") + (stdin ? "\n" + stdin : "");
}

/** SQL statements with the same test (split on `;`). */
function anyStatement(c: Invocation, test: (stmt: string) => boolean): boolean {
  const text = dbText(c);
  if (text === undefined) return false;
  return text.split(/;|\n(?=\s*[A-Za-z])/).some((s) => test(s.trim()));
}

export const databaseRules: Rule[] = [
  {
    id: "db.drop",
    category: "database",
    risk: "high",
    commands: DB_COMMANDS,
    reason: "drops a database object (database, table, schema…) and all its data",
    evenDryRun: true,
    match: (c) =>
      anyStatement(
        c,
        (s) =>
          /\bdrop\s+(database|schema|table|keyspace|user|role|owned|view|materialized|index|collection)\b/i
            .test(s),
      ) || ["dropdb", "dropuser"].includes(c.key),
    examples: {
      hit: [
        "DROP DATABASE mydb",
        "psql -c 'DROP TABLE users'",
        "mysql --execute 'DROP TABLE t'",
        "dropdb prod",
        "echo 'drop table x;' | psql",
      ],
      miss: ["psql -c 'SELECT 1'", "echo 'DROP TABLE x'", "grep 'drop table' schema.sql"],
    },
  },
  {
    id: "db.truncate",
    category: "database",
    risk: "high",
    commands: DB_COMMANDS,
    reason: "empties a table",
    evenDryRun: true,
    match: (c) => anyStatement(c, (s) => /(^|[\s(])truncate\s+(table\s+)?[\w."`[]/i.test(s)),
    examples: {
      hit: ["TRUNCATE TABLE users", "psql -c 'truncate orders'"],
      miss: ["truncate -s 0 log.txt"],
    },
  },
  {
    id: "db.delete-all",
    category: "database",
    risk: "high",
    commands: DB_COMMANDS,
    reason: "deletes every row of a table (no WHERE clause)",
    evenDryRun: true,
    match: (c) => anyStatement(c, (s) => /\bdelete\s+from\s+\S+/i.test(s) && !/\bwhere\b/i.test(s)),
    examples: {
      hit: ["DELETE FROM users;", "sqlite3 app.db 'delete from sessions'"],
      miss: ["DELETE FROM users WHERE id = 1", "SELECT * FROM users"],
    },
  },
  {
    id: "db.update-all",
    category: "database",
    risk: "moderate",
    commands: DB_COMMANDS,
    reason: "changes every row of a table (no WHERE clause)",
    evenDryRun: true,
    match: (c) =>
      anyStatement(c, (s) => /\bupdate\s+\S+\s+set\b/i.test(s) && !/\bwhere\b/i.test(s)),
    examples: {
      hit: ["UPDATE users SET active=false;"],
      miss: ["UPDATE users SET active=false WHERE id = 1"],
    },
  },
  {
    id: "db.alter-drop",
    category: "database",
    risk: "moderate",
    commands: DB_COMMANDS,
    reason: "drops a column or constraint, with its data",
    evenDryRun: true,
    match: (c) => anyStatement(c, (s) => /\balter\s+table\b.*\bdrop\b/i.test(s)),
    examples: {
      hit: ["ALTER TABLE users DROP COLUMN email"],
      miss: ["ALTER TABLE users ADD COLUMN x int"],
    },
  },
  {
    id: "db.redis-flush",
    category: "database",
    risk: "high",
    commands: DB_COMMANDS,
    reason: "wipes every key in the Redis database, or shuts the server down",
    evenDryRun: true,
    match: (c) => {
      const text = dbText(c);
      if (text === undefined || ["psql", "mysql", "sqlite3"].includes(c.key)) return false;
      // Only well-formed commands: Redis rejects `FLUSHALL extra args`.
      return /(^|\s)(flushall|flushdb)(\s+(async|sync))?\s*(;|\n|$)/i.test(text) ||
        /(^|\s)shutdown(\s+(nosave|save|now|force|abort))*\s*(;|\n|$)/i.test(text) ||
        /\bdebug\s+(segfault|sleep)\b/i.test(text);
    },
    examples: {
      hit: ["redis-cli FLUSHALL", "redis-cli -h localhost flushdb", "SHUTDOWN NOSAVE"],
      miss: ["redis-cli GET key", "redis-cli INFO", "FLUSHALL extra args"],
    },
  },
  {
    id: "db.mongo-drop",
    category: "database",
    risk: "high",
    commands: DB_COMMANDS,
    names: /^db\./,
    reason: "drops a MongoDB database or collection, or deletes all its documents",
    evenDryRun: true,
    match: (c) => {
      const text = CLIENTS.has(c.key)
        ? dbText(c)
        : c.key.startsWith("db.")
        ? [c.name, ...c.args].join(" ")
        : undefined;
      return text !== undefined &&
        /\bdropDatabase\s*\(|\.drop\s*\(|\.(deleteMany|remove)\s*\(\s*\{\s*\}\s*\)|\bdropAllUsers\s*\(/i
          .test(text);
    },
    examples: {
      hit: [
        "mongosh mydb --eval 'db.dropDatabase()'",
        "db.users.drop()",
        "mongo --eval 'db.x.deleteMany({})'",
      ],
      miss: ["db.users.find()", "mongosh --eval 'db.users.find()'"],
    },
  },
  {
    id: "db.reset",
    category: "database",
    risk: "high",
    commands: [
      "rails",
      "rake",
      "bin/rails",
      "prisma",
      "supabase",
      "python",
      "python3",
      "django-admin",
      "artisan",
      "php",
    ],
    reason: "resets a database, deleting its data",
    match: (c) => {
      const a = c.args.join(" ");
      return (/^(rails|rake|bin\/rails)$/.test(c.key) &&
        /\bdb:(drop|reset|purge|schema:load)\b/.test(a)) ||
        (c.key === "prisma" && /\b(migrate\s+reset|db\s+push\s+.*--force-reset)\b/.test(a)) ||
        (c.key === "supabase" && /\bdb\s+reset\b/.test(a)) ||
        (INTERPRETERS_MANAGE.test(c.key + " " + a) &&
          /\bmanage\.py\s+(flush|reset_db|sqlflush)\b/.test(a)) ||
        (c.key === "artisan" || /artisan/.test(a)) &&
          /\b(migrate:fresh|migrate:reset|db:wipe)\b/.test(a);
    },
    examples: {
      hit: ["rails db:drop", "npx prisma migrate reset", "python manage.py flush"],
      miss: ["rails db:migrate", "python manage.py runserver"],
    },
  },
];

const INTERPRETERS_MANAGE = /^(python\d?(\.\d+)?|django-admin)\b/;
