/** Family: requests are rated by the object they name (issue 17). */

import { assertEquals } from "../../../test/support/assert.ts";
import { rateRequestText } from "../request.ts";
import type { Risk } from "../risk.ts";

function expectRequests(cases: [string, Risk][]) {
  const got = cases.map(([text]) => [text, rateRequestText(text).risk]);
  assertEquals(got, cases);
}

Deno.test("harmless objects: the screen, the terminal, the clipboard", () => {
  expectRequests([
    ["wipe the screen", "safe"],
    ["clear the screen", "safe"],
    ["erase the terminal output", "safe"],
    ["nuke the scrollback", "safe"],
    ["clean the screen", "safe"],
    ["clear the console", "safe"],
  ]);
});

Deno.test("tidying is not deleting everything", () => {
  expectRequests([
    ["clean my home", "moderate"],
    ["clean up my downloads folder", "moderate"],
    ["tidy up old docker images", "moderate"],
  ]);
});

Deno.test("what is named decides: a home, a disk, a folder", () => {
  expectRequests([
    ["delete my home directory", "critical"],
    ["remove everything in my home", "critical"],
    ["wipe the disk", "critical"],
    ["wipe the screen and then delete my home folder", "critical"],
    ["delete the build folder", "moderate"],
    ["delete the terminal log file", "moderate"],
    ["list all files", "safe"],
  ]);
});
