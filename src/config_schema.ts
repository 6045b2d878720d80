/**
 * What each key of the config file allows, as zod schemas that turn a TOML
 * value into the text of the variable it stands for (`true` → `"1"`). Kept
 * apart from `config.ts` so zod loads only when there is a file to check.
 *
 * @module
 */

import { z } from "zod";
import { isHttpUrl } from "./backends/remote.ts";

const text = z.string().trim().min(1);
const flag = z.boolean().transform((b) => (b ? "1" : "0"));
const secondsValue = z.number().positive().finite().transform(String);
const whole = (min: number, max: number) => z.number().int().min(min).max(max).transform(String);
const oneOf = (...values: [string, ...string[]]) => z.enum(values);
const key = text.max(32);

/** Each setting's key → its schema. */
export const fileSchemas: Readonly<Record<string, z.ZodType<string, unknown>>> = {
  backend: oneOf("embedded", "ollama", "openai"),
  url: text.refine(isHttpUrl),
  remote_model: text,
  api_key_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
  model: text,
  policy: oneOf("strict", "moderate", "permissive"),
  timeout: secondsValue,
  threads: whole(1, 1024),
  gpu_layers: z.union([oneOf("auto", "max"), whole(0, 10_000)]),
  max_tokens: whole(1, 1024),
  explain: flag,
  server: flag,
  idle: secondsValue,
  "shell.key": key,
  "shell.explain_key": key,
  "shell.comment_enter": flag,
};
