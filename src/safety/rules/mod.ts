/**
 * Every rule, in one list. Each file is one family and gives its rules' ids their prefix.
 *
 * @module
 */

import type { Rule } from "../rule.ts";
import { cloudRules } from "./cloud.ts";
import { codeRules } from "./code.ts";
import { containerRules } from "./containers.ts";
import { credentialRules } from "./credentials.ts";
import { databaseRules } from "./database.ts";
import { diskRules } from "./disk.ts";
import { filesystemRules } from "./filesystem.ts";
import { firewallRules } from "./firewall.ts";
import { gitRules } from "./git.ts";
import { kubernetesRules } from "./kubernetes.ts";
import { networkRules } from "./network.ts";
import { packageRules } from "./packages.ts";
import { permissionRules } from "./permissions.ts";
import { persistenceRules } from "./persistence.ts";
import { privilegeRules } from "./privilege.ts";
import { processRules } from "./processes.ts";
import { serviceRules } from "./services.ts";
import { subcommandRules } from "./subcommands.ts";
import { systemRules } from "./system.ts";
import { windowsRules } from "./windows.ts";

/** All command rules the rater applies. */
export const RULES: readonly Rule[] = [
  ...filesystemRules,
  ...diskRules,
  ...codeRules,
  ...permissionRules,
  ...privilegeRules,
  ...systemRules,
  ...processRules,
  ...serviceRules,
  ...firewallRules,
  ...networkRules,
  ...credentialRules,
  ...persistenceRules,
  ...gitRules,
  ...databaseRules,
  ...containerRules,
  ...kubernetesRules,
  ...cloudRules,
  ...subcommandRules,
  ...packageRules,
  ...windowsRules,
];
