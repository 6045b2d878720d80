/**
 * Every rule, in one list.
 *
 * @module
 */

import type { Rule } from "../rule.ts";
import { accessRules } from "./access.ts";
import { cloudRules } from "./cloud.ts";
import { codeRules } from "./code.ts";
import { containerRules } from "./containers.ts";
import { databaseRules } from "./database.ts";
import { diskRules } from "./disk.ts";
import { filesystemRules } from "./filesystem.ts";
import { gitRules } from "./git.ts";
import { networkRules } from "./network.ts";
import { packageRules } from "./packages.ts";
import { systemRules } from "./system.ts";
import { windowsRules } from "./windows.ts";

/** All command rules the rater applies. */
export const RULES: readonly Rule[] = [
  ...filesystemRules,
  ...diskRules,
  ...codeRules,
  ...accessRules,
  ...systemRules,
  ...networkRules,
  ...gitRules,
  ...databaseRules,
  ...containerRules,
  ...cloudRules,
  ...packageRules,
  ...windowsRules,
];
