/**
 * Firewalls: flushing their rules, opening the default policy, turning them off, removing
 * rules or opening ports.
 *
 * @module
 */

import { STOP_UNITS, stoppedUnits } from "../match.ts";
import { words } from "../programs.ts";
import { rules } from "../rule.ts";
import { hasOption } from "../tools.ts";

const IPTABLES = words(`
  iptables ip6tables iptables-legacy iptables-nft ip6tables-legacy ebtables arptables
`);
const FIREWALL_SERVICES =
  /^(ufw|firewalld|iptables|ip6tables|nftables|netfilter-persistent|pf|shorewall|csf)(\.service)?$/;

export const firewallRules = rules("fw", [
  {
    id: "flush",
    risk: "high",
    reason: "flushes or deletes firewall rules, leaving the machine unprotected",
    on: [...IPTABLES, "pfctl"],
    flags: ["-F", "--flush", "-X", "--delete-chain"],
    examples: {
      hit: ["iptables -F", "sudo iptables -t nat -F", "iptables -X", "pfctl -F all"],
      miss: ["iptables -L", "iptables -nvL"],
    },
  },
  {
    id: "flush-nft",
    risk: "high",
    reason: "flushes or deletes a whole nftables ruleset or table, leaving the machine unprotected",
    on: ["nft flush ruleset", "nft flush table", "nft delete table"],
    unless: ["-c", "--check"],
    examples: {
      hit: ["nft flush ruleset", "sudo nft delete table inet filter"],
      miss: ["nft list ruleset", "nft -c flush ruleset", "nft flush chain filter input"],
    },
  },
  {
    id: "open-policy",
    risk: "high",
    reason: "makes the firewall accept all traffic by default",
    on: IPTABLES,
    flags: ["-P", "--policy"],
    match: (r) => r.words.includes("ACCEPT"),
    examples: {
      hit: ["iptables -P INPUT ACCEPT", "sudo arptables -P OUTPUT ACCEPT"],
      miss: ["iptables -P INPUT DROP"],
    },
  },
  {
    id: "disable",
    risk: "high",
    reason: "turns the firewall off",
    on: ["ufw disable", "ufw reset", "pfctl", "netsh", "set-netfirewallprofile", ...STOP_UNITS],
    match: (r) => {
      switch (r.tool) {
        case "ufw":
          return true;
        case "pfctl":
          return hasOption(r, "-d");
        case "netsh":
          return /firewall/i.test(r.args.join(" ")) && /\bstate\s+off\b/i.test(r.args.join(" "));
        case "set-netfirewallprofile":
          return /-Enabled\s+(False|0)/i.test(r.args.join(" "));
        default:
          return stoppedUnits(r).some((u) => FIREWALL_SERVICES.test(u));
      }
    },
    examples: {
      hit: [
        "ufw --force reset",
        "ufw disable",
        "systemctl stop firewalld",
        "service ufw stop",
        "pfctl -d",
        "netsh advfirewall set allprofiles state off",
        "Set-NetFirewallProfile -Profile Domain -Enabled False",
      ],
      miss: ["ufw enable", "ufw status", "ufw --dry-run disable", "systemctl stop nginx"],
    },
  },
  {
    id: "change",
    risk: "moderate",
    reason: "removes firewall rules or opens ports (you may lock yourself out, or others in)",
    on: [...IPTABLES, "nft delete", "nft flush chain", "firewall-cmd", "ufw delete", "netsh"],
    match: (r) => {
      if (IPTABLES.includes(r.tool)) return hasOption(r, "-D") || hasOption(r, "--delete");
      if (r.tool === "firewall-cmd") {
        return r.args.some((a) => /^--(remove-|set-default-zone=trusted|panic-on)/.test(a));
      }
      if (r.tool === "netsh") return /firewall.*\b(delete|reset)\b/i.test(r.args.join(" "));
      return true;
    },
    examples: {
      hit: [
        "iptables -D INPUT 3",
        "nft delete rule inet filter input handle 3",
        "nft flush chain filter input",
        "firewall-cmd --permanent --remove-service ssh",
        "ufw delete allow 22",
        "netsh advfirewall firewall delete rule name=x",
      ],
      miss: ["firewall-cmd --list-all", "nft list ruleset", "ufw allow 22"],
    },
  },
]);
