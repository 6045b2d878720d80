import { assertEquals } from "../../test/support/assert.ts";
import { ratingFields, reasons, riskLine } from "./report.ts";
import type { Rating } from "./risk.ts";

const rating: Rating = {
  risk: "high",
  rules: [
    { id: "git.push-force", reason: "overwrites the remote" },
    { id: "priv.root", reason: "runs as root" },
  ],
};

Deno.test("ratingFields: risk and rules, each rule's id and reason only", () => {
  const extra = { ...rating, rules: [{ ...rating.rules[0], extra: 1 }] } as unknown as Rating;
  assertEquals(
    JSON.stringify(ratingFields(extra)),
    '{"risk":"high","rules":[{"id":"git.push-force","reason":"overwrites the remote"}]}',
  );
  assertEquals(ratingFields({ risk: "safe", rules: [] }), { risk: "safe", rules: [] });
});

Deno.test("riskLine: the level, then the reasons; a label, a paint and ids on demand", () => {
  assertEquals(riskLine(rating), "risk: high — overwrites the remote; runs as root");
  assertEquals(riskLine({ risk: "safe", rules: [] }), "risk: safe");
  assertEquals(
    riskLine(rating, { label: "request risk", paint: (r, t) => `<${r}>${t}` }),
    "request risk: <high>high — overwrites the remote; runs as root",
  );
  assertEquals(
    reasons(rating, true),
    "overwrites the remote [git.push-force]; runs as root [priv.root]",
  );
});
