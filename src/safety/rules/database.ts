/**
 * Databases: SQL that drops or empties tables (typed bare, or given to `psql -c`, `mysql -e`,
 * `sqlite3`, here-documents), `dropdb`, Redis `FLUSHALL`, MongoDB drops, and framework commands
 * that drop or reset a database (`rails db:drop`, `prisma migrate reset`).
 *
 * @module
 */

import type { Invocation } from "../command.ts";
import { rules } from "../rule.ts";
import { hasOption } from "../tools.ts";
import { stdinLiteral } from "../match.ts";
import { SQL_STATEMENTS } from "../programs.ts";

/** Programs that run SQL (or similar) given as arguments or on stdin. */
const CLIENTS = new Set(
  `psql mysql mariadb sqlite3 sqlite duckdb clickhouse-client clickhouse cqlsh sqlcmd snowsql bq
  cockroach mongo mongosh redis-cli valkey-cli keydb-cli memcached-tool influx sqlplus isql usql
  pgcli mycli litecli`.split(/\s+/),
);

/** Every command that carries database code. */
const DB_COMMANDS = [...CLIENTS, ...SQL_STATEMENTS];

/** The database code a command carries, or undefined when it carries none. */
function dbText(c: Invocation): string | undefined {
  if (SQL_STATEMENTS.has(c.key)) return [c.name, ...c.args].join(" ");
  if (!CLIENTS.has(c.key)) return undefined;
  const stdin = stdinLiteral(c);
  return c.args.join(" ") + (stdin ? "\n" + stdin : "");
}

/** Whether one of the command's SQL statements (split on `;` and lines) passes `test`. */
function anyStatement(c: Invocation, test: (stmt: string) => boolean): boolean {
  const text = dbText(c);
  if (text === undefined) return false;
  return text.split(/;|\n(?=\s*[A-Za-z])/).some((s) => test(s.trim()));
}

/** A statement test, as a condition on the command. */
const sql = (test: RegExp, unless?: RegExp) => (_: unknown, c: Invocation) =>
  anyStatement(c, (s) => test.test(s) && !unless?.test(s));

/** Framework and migration tools, and the words with which they drop or reset a database. */
const RESETS: Readonly<Record<string, RegExp>> = {
  rails: /\bdb:(drop|reset|purge|schema:load|seed:replant)\b/,
  rake: /\bdb:(drop|reset|purge|schema:load)\b/,
  bundle: /\bdb:(drop|reset|purge|schema:load)\b/,
  prisma: /\b(migrate reset|db push .*--force-reset)\b/,
  supabase: /\bdb reset\b/,
  python: /\bmanage\.py (flush|reset_db|sqlflush)\b/,
  python3: /\bmanage\.py (flush|reset_db|sqlflush)\b/,
  "django-admin": /^(flush|reset_db|sqlflush)\b/,
  php: /\b(migrate:(fresh|reset)|db:wipe|doctrine:(database|schema):drop)\b/,
  artisan: /\b(migrate:(fresh|reset)|db:wipe)\b/,
  mix: /\becto\.(drop|reset)\b/,
  wp: /\bdb (drop|reset|clean)\b/,
  sequelize: /\bdb:drop\b/,
  typeorm: /\bschema:drop\b/,
  flyway: /(^|\s)clean\b/,
  liquibase: /\b(drop-all|dropAll)\b/,
  drush: /\bsql[-:]drop\b/,
  dotnet: /\bef database drop\b/,
  bench: /\bdrop-site\b/,
  dbmate: /(^|\s)drop\b/,
};

export const databaseRules = rules("db", [
  {
    id: "drop",
    risk: "high",
    reason: "drops a database, schema or table and all its data",
    on: [...DB_COMMANDS, "dropdb"],
    evenDryRun: true,
    match: (r, c) =>
      r.tool === "dropdb" && !hasOption(r, "--help") ||
      sql(/\bdrop\s+(database|schema|table|keyspace|owned|collection)\b/i)(r, c),
    examples: {
      hit: [
        "DROP DATABASE mydb",
        "drop table users",
        "psql -c 'DROP TABLE users'",
        "psql -c DROP TABLE users",
        "mysql --execute 'DROP TABLE t'",
        "mysql -u root -p -e 'DROP DATABASE IF EXISTS test'",
        "dropdb prod",
        "dropdb -h db.internal -U admin app",
        "echo 'drop table x;' | psql",
        "cqlsh -e 'DROP KEYSPACE shop'",
        "psql <<EOF\nDROP SCHEMA public CASCADE;\nEOF",
      ],
      miss: [
        "psql -c 'SELECT 1'",
        "echo 'DROP TABLE x'",
        "grep 'drop table' schema.sql",
        "dropdb --help",
        "DROP USER bob",
      ],
    },
  },
  {
    id: "drop-object",
    risk: "moderate",
    reason: "drops a database user, role, index or view",
    on: [...DB_COMMANDS, "dropuser"],
    evenDryRun: true,
    match: (r, c) =>
      r.tool === "dropuser" ||
      sql(
        /\bdrop\s+(user|role|index|view|materialized\s+view|function|procedure|trigger|sequence|type|extension)\b/i,
      )(r, c),
    examples: {
      hit: ["DROP INDEX idx_users_email", "DROP ROLE IF EXISTS myrole;", "dropuser alice"],
      miss: ["CREATE INDEX i ON t(c)", "psql -c 'SELECT 1'"],
    },
  },
  {
    id: "truncate",
    risk: "high",
    reason: "empties a table",
    on: DB_COMMANDS,
    evenDryRun: true,
    match: sql(/(^|[\s(])truncate\s+(table\s+)?[\w."`[]/i),
    examples: {
      hit: ["TRUNCATE TABLE users", "psql -c 'truncate orders'"],
      miss: ["truncate -s 0 log.txt"],
    },
  },
  {
    id: "delete-all",
    risk: "high",
    reason: "deletes every row of a table (no WHERE clause)",
    on: DB_COMMANDS,
    evenDryRun: true,
    match: sql(/\bdelete\s+from\s+\S+/i, /\bwhere\b/i),
    examples: {
      hit: ["DELETE FROM users;", "sqlite3 app.db 'delete from sessions'"],
      miss: ["DELETE FROM users WHERE id = 1", "SELECT * FROM users"],
    },
  },
  {
    id: "update-all",
    risk: "moderate",
    reason: "changes every row of a table (no WHERE clause)",
    on: DB_COMMANDS,
    evenDryRun: true,
    match: sql(/\bupdate\s+\S+\s+set\b/i, /\bwhere\b/i),
    examples: {
      hit: ["UPDATE users SET active=false;"],
      miss: ["UPDATE users SET active=false WHERE id = 1"],
    },
  },
  {
    id: "alter-drop",
    risk: "moderate",
    reason: "drops a column or constraint, with its data",
    on: DB_COMMANDS,
    evenDryRun: true,
    match: sql(/\balter\s+table\b.*\bdrop\b/i),
    examples: {
      hit: ["ALTER TABLE users DROP COLUMN email"],
      miss: ["ALTER TABLE users ADD COLUMN x int"],
    },
  },
  {
    id: "redis-flush",
    risk: "high",
    reason: "wipes every key in the Redis database, or shuts the server down",
    on: DB_COMMANDS.filter((c) => !["psql", "mysql", "mariadb", "sqlite3"].includes(c)),
    evenDryRun: true,
    match: (_, c) => {
      const text = dbText(c) ?? "";
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
    id: "mongo-drop",
    risk: "high",
    reason: "drops a MongoDB database or collection, or deletes all its documents",
    // Typed into the shell (`db.users.drop()`), or given to mongo/mongosh.
    on: /^(mongo|mongosh|db\..*)$/,
    evenDryRun: true,
    match: (_, c) =>
      /\bdropDatabase\s*\(|\.drop\s*\(|\.(deleteMany|remove)\s*\(\s*\{\s*\}\s*\)|\bdropAllUsers\s*\(/i
        .test(dbText(c) ?? [c.name, ...c.args].join(" ")),
    examples: {
      hit: [
        "mongosh mydb --eval 'db.dropDatabase()'",
        "db.users.drop()",
        "DB.DROPDATABASE()",
        "mongo --eval 'db.x.deleteMany({})'",
      ],
      miss: ["db.users.find()", "mongosh --eval 'db.users.find()'", "mongosh --eval 'db.x.drop'"],
    },
  },
  {
    id: "reset",
    risk: "high",
    reason: "drops or resets a database, deleting its data",
    on: Object.keys(RESETS),
    match: (r) => RESETS[r.tool].test(r.args.join(" ")),
    examples: {
      hit: [
        "rails db:drop",
        "bundle exec rake db:reset",
        "npx prisma migrate reset",
        "python manage.py flush",
        "php artisan migrate:fresh",
        "mix ecto.reset",
        "flyway -url=jdbc:x clean",
        "php bin/console doctrine:database:drop --force",
        "dotnet ef database drop -f",
        "wp db reset --yes",
      ],
      miss: ["rails db:migrate", "python manage.py runserver", "flyway migrate", "mix compile"],
    },
  },
  {
    id: "admin-drop",
    risk: "high",
    reason: "drops a whole database",
    on: ["mysqladmin drop", "mysqladmin drop-database"],
    examples: { hit: ["mysqladmin -u root -p drop shop"], miss: ["mysqladmin status"] },
  },
]);
