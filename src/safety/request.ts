/**
 * Rates what a person asked for, in their own words ("wipe the disk", "delete everything in my
 * home"), so a destructive intent is flagged even when the model answers with something mild or
 * refuses. Word patterns suit natural language; commands are rated by the parser-based rules.
 *
 * A request to delete or wipe names its object, and is rated by what it names, as commands are:
 * a disk, a home or the system is critical, a folder moderate, and the screen, the terminal or
 * the clipboard nothing at all ("wipe the screen"). Tidying ("clean my home") is not deleting
 * everything: moderate at most.
 *
 * @module
 */

import { compareRiskDesc, type Rating, type Risk } from "./risk.ts";

/** A pattern over request text, with the same shape of examples as command rules. */
export interface RequestRule {
  id: string;
  risk: Risk;
  reason: string;
  /**
   * What the request says. A named group `object` is what the verb names: the rule holds only
   * where it names something that can be lost (not the screen, the terminal, the clipboard).
   */
  pattern: RegExp;
  examples: { hit: readonly string[]; miss: readonly string[] };
}

/** Objects whose "deletion" loses nothing: the screen, the terminal's output, the clipboard. */
const HARMLESS_OBJECT =
  /^(?:the\s+|my\s+|this\s+|that\s+|all\s+(?:the\s+)?)?(?:terminal\s+|shell\s+|console\s+)?(?:screen|terminal|console|display|scrollback|clipboard|prompt|output|selection|notifications?|cursor|screen\s+buffer)\b(?!\s+(?:log|logs|file|files|folder|directory|history|app|application|data)\b)/i;

/** Whether `rule` holds for `text`: its pattern matches, naming something that can be lost. */
export function requestMatches(rule: RequestRule, text: string): boolean {
  if (!rule.pattern.source.includes("?<object>")) return rule.pattern.test(text);
  const all = new RegExp(rule.pattern.source, rule.pattern.flags.replace("g", "") + "g");
  for (const m of text.matchAll(all)) {
    if (!HARMLESS_OBJECT.test((m.groups?.object ?? "").trim())) return true;
  }
  return false;
}

const DESTROY = String
  .raw`(?:wipe|erase|format|reformat|destroy|nuke|zero(?:\s*out)?|overwrite|shred|trash|obliterate|blow\s+away)`;
const DELETE = String
  .raw`(?:delete|remove|rm|erase|wipe|nuke|destroy|purge|clear|empty|get\s+rid\s+of|trash|kill)`;
/** Tidying: it removes some things, not everything ("clean my home", "tidy up downloads"). */
const TIDY = String
  .raw`(?:clean(?:\s+up|\s+out)?|tidy(?:\s+up)?|declutter|free\s+up\s+space\s+(?:in|on))`;
/** What a verb names: the words up to the end of the clause (or the next `and`, `then`). */
const OBJECT = String.raw`\s+(?<object>(?:(?!\b(?:and|then|or|but)\b)[^.,;!?])*)`;
const DISK = String
  .raw`(?:disk|disks|drive|drives|hard\s*drive|hdd|ssd|nvme|partition|partitions|usb(?:\s+stick|\s+drive)?|sd\s*card|boot\s+sector|mbr|partition\s+table|file\s*system)`;
const ALL = String
  .raw`(?:everything|all(?:\s+(?:the|of\s+(?:the|my)))?(?:\s+\w+)?|entire|whole|every\s+file)`;
const SCOPE = String
  .raw`(?:home|~|\$HOME|system|computer|machine|root|/|filesystem|file\s*system|hard\s*drive|disk|drive|os|mac|laptop|server|user\s+folder|home\s+(?:dir|directory|folder))`;

/** Natural-language request rules, most specific first. */
export const REQUEST_RULES: readonly RequestRule[] = [
  {
    id: "request.wipe-disk",
    risk: "critical",
    reason: "asks to erase a disk or filesystem",
    pattern: new RegExp(
      String
        .raw`\b${DESTROY}\b.{0,40}(?:\b${DISK}\b|/dev/(?:[shv]d|nvme|disk|mmcblk|xvd))|\b${DISK}\b.{0,20}\b${DESTROY}\b`,
      "i",
    ),
    examples: {
      hit: [
        "wipe the disk",
        "format /dev/sdb as ext4",
        "erase my hard drive",
        "zero out the usb drive",
      ],
      miss: ["show disk usage", "format this json file", "list drives"],
    },
  },
  {
    id: "request.delete-everything",
    risk: "critical",
    reason: "asks to delete everything in the home directory or on the system",
    pattern: new RegExp(
      String
        .raw`\b${DELETE}\b.{0,30}\b${ALL}\b.{0,40}(?:\b${SCOPE}\b|\s/(?:\s|$))|\b${DELETE}\b.{0,12}(?:\bmy\s+(?:home|computer|system|machine)\b|\bthe\s+(?:system|root\s+(?:dir|directory|folder)|home\s+(?:dir|directory|folder))\b|(?:^|\s)(?:~|/|\$HOME)(?:\s|$))`,
      "i",
    ),
    examples: {
      hit: [
        "delete everything in my home",
        "remove all files on the system",
        "rm everything under /",
        "wipe my home directory",
        "delete my home folder",
        "empty my home directory",
      ],
      miss: [
        "delete the build folder",
        "list all files in my home",
        "remove all .pyc files here",
        "clean my home",
        "clean up everything in my home",
      ],
    },
  },
  {
    id: "request.fork-bomb",
    risk: "critical",
    reason: "asks for a fork bomb",
    pattern:
      /\bfork\s*bomb|\b(?:crash|freeze|hang)\b.{0,20}\b(?:computer|machine|system|server)\b/i,
    examples: { hit: ["write a fork bomb", "crash the machine"], miss: ["fork the repo"] },
  },
  {
    id: "request.remote-code",
    risk: "high",
    reason: "asks to run a script straight from the internet",
    pattern:
      /\b(?:curl|wget|download)\b.{0,60}\b(?:pipe|\|)\s*(?:it\s+)?(?:in)?to\s+(?:sh|bash|zsh|the\s+shell)\b|\b(?:download|fetch)\b.{0,40}\band\s+(?:run|execute)\b/i,
    examples: {
      hit: ["download the install script and run it", "curl the script and pipe it to bash"],
      miss: ["download the file to ~/Downloads"],
    },
  },
  {
    id: "request.attack",
    risk: "high",
    reason: "asks for something used to attack or spy on a machine",
    pattern:
      /\b(?:reverse\s+shell|backdoor|keylogger|rootkit|exfiltrat\w*|steal\w*|crack\w*\s+(?:the\s+)?passwords?|dump\s+(?:the\s+)?(?:password|credential|hash)\w*|brute[-\s]?force)\b/i,
    examples: {
      hit: ["open a reverse shell to 10.0.0.1", "steal the ssh keys"],
      miss: ["open a shell"],
    },
  },
  {
    id: "request.delete-all-of",
    risk: "high",
    reason: "asks to delete a whole class of things (all files, databases, branches, containers…)",
    pattern: new RegExp(
      String
        .raw`\b(?:${DELETE}|drop|truncate|prune|flush)\b.{0,20}\b(?:all|every|each|entire|whole)(?:\s+(?:the|my|of\s+the|of\s+my))?(?:\s+[\w-]+)?\s+(?:files?|folders?|directories|data|database|databases|tables?|rows|records|users|containers?|images|volumes|pods|namespaces?|branches|commits|history|logs?|emails?|backups?|snapshots?|instances|buckets?|keys|secrets|packages|repos(?:itories)?)\b|\bdrop\b.{0,15}\b(?:database|table|schema)\b|\bflushall\b`,
      "i",
    ),
    examples: {
      hit: ["delete all the docker containers", "drop the users table", "remove all branches"],
      miss: ["list all files", "show all tables", "count all rows", "remove all .pyc files here"],
    },
  },
  {
    id: "request.disable-protection",
    risk: "high",
    reason: "asks to remove a protection (firewall, security, logs, history)",
    pattern:
      /\b(?:disable|turn\s+off|stop|flush|reset|kill)\b.{0,20}\b(?:firewall|iptables|ufw|selinux|apparmor|antivirus|gatekeeper|sip|defender|security)\b|\b(?:clear|wipe|erase|delete|remove|shred|scrub|cover)\b.{0,20}\b(?:bash\s+|shell\s+|command\s+)?(?:history|logs|tracks|audit)\b/i,
    examples: {
      hit: ["disable the firewall", "clear my bash history", "delete the logs"],
      miss: ["show firewall status", "show history"],
    },
  },
  {
    id: "request.permissions-wide",
    risk: "high",
    reason: "asks to open up permissions or ownership system-wide",
    pattern:
      /^(?=.*\b(?:chmod|chown|permissions?|ownership|writable|writeable)\b)(?=.*\b(?:777|everyone|world|recursive(?:ly)?)\b)(?=.*(?:\s\/(?:\s|$)|\broot\b|\bsystem\b|\/etc\b|\/usr\b|\/var\b|\/bin\b))/i,
    examples: {
      hit: [
        "make everything under / chmod 777",
        "change ownership of all files in /usr recursively",
        "make every file in / world writable",
      ],
      miss: ["make script.sh executable"],
    },
  },
  {
    id: "request.force-history",
    risk: "moderate",
    reason: "asks to rewrite or discard version-control history",
    pattern:
      /\bforce[-\s]?push|\bpush\b.{0,15}--force|\breset\b.{0,15}\bhard\b|\bdiscard\b.{0,20}\b(?:changes|commits|work)\b|\brewrite\b.{0,15}\bhistory\b/i,
    examples: {
      hit: ["force push to main", "discard all my local changes"],
      miss: ["push my branch"],
    },
  },
  {
    id: "request.power",
    risk: "moderate",
    reason: "asks to shut down, reboot or kill processes",
    pattern:
      /\b(?:shut\s*down|power\s*off|reboot|restart\s+the\s+(?:computer|machine|server|system)|halt\s+the|kill\s+(?:all|every)|killall)\b/i,
    examples: {
      hit: ["shut down the machine", "kill all node processes"],
      miss: ["restart nginx"],
    },
  },
  {
    id: "request.delete",
    risk: "moderate",
    reason: "asks to delete or overwrite something",
    pattern: new RegExp(
      String
        .raw`\b(?:delete|remove|rm|erase|wipe|nuke|destroy|purge|shred|uninstall|drop|truncate|overwrite|prune|get\s+rid\s+of)\b${OBJECT}`,
      "i",
    ),
    examples: {
      hit: ["delete the build folder", "uninstall docker", "wipe the screen and delete out.log"],
      miss: [
        "list all files",
        "find large files",
        "wipe the screen",
        "erase the terminal output",
        "remove the clipboard contents",
      ],
    },
  },
  {
    id: "request.tidy",
    risk: "moderate",
    reason: "asks to clean up files, which deletes some of them",
    // The verb leads its clause ("clean my home"), not an adjective ("the clean build").
    pattern: new RegExp(
      String.raw`(?:^|[.,;!?]\s*|\b(?:to|please|and|then|you)\s+)${TIDY}\b${OBJECT}`,
      "i",
    ),
    examples: {
      hit: ["clean my home", "clean up the downloads folder", "tidy up old docker images"],
      miss: ["clean the screen", "show the clean build steps", "tidy the terminal"],
    },
  },
  {
    id: "request.privilege",
    risk: "moderate",
    reason: "asks to act as root or change system settings",
    pattern: /\b(?:as\s+root|with\s+sudo|sudo\b|root\s+shell|administrator\s+privileges)/i,
    examples: {
      hit: ["install nginx with sudo", "open a root shell"],
      miss: ["show the root of the repo"],
    },
  },
];

/** Rate a natural-language request. */
export function rateRequestText(text: string): Rating {
  const hits = REQUEST_RULES.filter((r) => requestMatches(r, text)).sort((a, b) =>
    compareRiskDesc(a.risk, b.risk)
  );
  // Several patterns often describe the same intent: report the most serious one only.
  const top = hits[0];
  return top ? { risk: top.risk, rules: [{ id: top.id, reason: top.reason }] } : {
    risk: "safe",
    rules: [],
  };
}
