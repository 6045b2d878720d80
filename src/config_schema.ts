/**
 * The config file's values checked with zod, one schema per setting built
 * from its kind (see `settings.ts`), each turning a TOML value into the text
 * of the variable it stands for (`true` → `"1"`). Kept apart from `config.ts`
 * so zod loads only when there is a file to check.
 *
 * @module
 */

import { z } from "zod";
import { isHttpUrl, type Kind } from "./settings.ts";

const text = z.string().trim().min(1);
const whole = (min: number, max: number) => z.number().int().min(min).max(max).transform(String);

/** What the file may hold for a setting of `kind`, as the variable's text. */
export function fileSchema(kind: Kind): z.ZodType<string, unknown> {
  switch (kind.type) {
    case "seconds":
      return z.number().positive().finite().transform(String);
    case "whole":
      return whole(kind.min, kind.max);
    case "oneOf":
      return z.enum(kind.values as [string, ...string[]]);
    case "switch":
      return z.boolean().transform((b) => (b ? "1" : "0"));
    case "url":
      return text.refine(isHttpUrl);
    case "variable":
      return z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/);
    case "layers":
      return z.union([z.enum(["auto", "max"]), whole(0, 10_000)]);
    case "text":
      return text.max(4096);
  }
}
