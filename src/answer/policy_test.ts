import { assertEquals, assertStringIncludes, assertThrows } from "../../test/support/assert.ts";
import { CmdaiError, ExitCode } from "../errors.ts";
import { decide, policyFromEnv } from "./policy.ts";

const env = (vars: Record<string, string>) => ({ get: (k: string) => vars[k] });

Deno.test("default policy: critical never reaches the line, high stands out", () => {
  assertEquals(policyFromEnv(env({})), "moderate");
  assertEquals(decide("moderate", "safe"), "line");
  assertEquals(decide("moderate", "moderate"), "line-notice");
  assertEquals(decide("moderate", "high"), "line-warning");
  assertEquals(decide("moderate", "critical"), "blocked");
});

Deno.test("strict blocks high; permissive lets critical through only with its warning", () => {
  assertEquals(decide("strict", "high"), "blocked");
  assertEquals(decide("strict", "critical"), "blocked");
  assertEquals(decide("strict", "moderate"), "line-notice");
  assertEquals(decide("permissive", "critical"), "line-warning");
  assertEquals(decide("permissive", "high"), "line-warning");
  assertEquals(decide("permissive", "safe"), "line");
});

Deno.test("CMDAI_POLICY is read from the environment", () => {
  assertEquals(policyFromEnv(env({})), "moderate");
  assertEquals(policyFromEnv(env({ CMDAI_POLICY: "" })), "moderate");
  assertEquals(policyFromEnv(env({ CMDAI_POLICY: "strict" })), "strict");
  assertEquals(policyFromEnv(env({ CMDAI_POLICY: " Permissive " })), "permissive");
});

Deno.test("an invalid CMDAI_POLICY is a one-line usage error", () => {
  const err = assertThrows(() => policyFromEnv(env({ CMDAI_POLICY: "yolo\nx" })), CmdaiError);
  assertEquals((err as CmdaiError).code, ExitCode.usage);
  assertStringIncludes(err.message, "CMDAI_POLICY");
  assertEquals(err.message.includes("\n"), false);
});
