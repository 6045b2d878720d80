/**
 * Services: stopping, disabling or masking a system service.
 *
 * @module
 */

import { rules } from "../rule.ts";

export const serviceRules = rules("svc", [
  {
    id: "stop",
    risk: "moderate",
    reason: "stops, disables or masks a system service",
    on: [
      ...["stop", "disable", "mask", "kill", "isolate"].map((v) => `systemctl ${v}`),
      "service",
      "launchctl unload",
      "launchctl bootout",
      "launchctl disable",
      "launchctl remove",
      "launchctl kill",
      "launchctl stop",
      "rc-service",
      "sv",
      "update-rc.d",
    ],
    match: (r) => {
      switch (r.tool) {
        case "systemctl":
          return r.words.length > 1;
        case "service":
          return /^(stop|disable)$/.test(r.words[1] ?? "");
        case "update-rc.d":
          return r.words.some((a) => /^(remove|disable)$/.test(a));
        case "launchctl":
          return true;
        default:
          return r.words.some((a) => /^(stop|down)$/.test(a));
      }
    },
    examples: {
      hit: ["systemctl stop postgresql", "sudo systemctl disable firewalld", "service nginx stop"],
      miss: ["systemctl status networking", "systemctl restart nginx", "systemctl stop"],
    },
  },
]);
