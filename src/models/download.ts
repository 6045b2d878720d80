/**
 * Downloads a model file from the Hugging Face hub (or a mirror at
 * `HF_ENDPOINT`) with `@huggingface/hub`, resumably and verified.
 *
 * Bytes go to `<dest>.part`; a later pull continues from its size with a
 * `Range` request. The file appears at `dest` only once complete and its
 * checksum matches the hub's metadata (the LFS sha256 from the paths-info API;
 * the git blob id for a file not in LFS), by an atomic rename. A mismatch
 * deletes the `.part`; every other failure keeps it for the next attempt.
 *
 * @module
 */

import { downloadFile, HubApiError, pathsInfo } from "@huggingface/hub";
import { createHash, type Hash } from "node:crypto";
import { basename, dirname } from "node:path";
import { CmdaiError, ExitCode, oneLine } from "../errors.ts";
import { exists } from "../fs.ts";

/** The public hub, used when no endpoint is given. */
export const DEFAULT_ENDPOINT = "https://huggingface.co";

/** What to download and where; see {@link pullModel}. */
export interface PullOptions {
  /** `owner/name` on the hub. */
  repo: string;
  /** Path of the file inside the repository. */
  file: string;
  /** Final path of the file; `<dest>.part` holds it while incomplete. */
  dest: string;
  /** Hub base URL (`HF_ENDPOINT`); default {@link DEFAULT_ENDPOINT}. */
  endpoint?: string;
  /** Access token (`HF_TOKEN`), sent as `Authorization: Bearer`. */
  token?: string;
  /** Called with bytes on disk so far (resumed bytes included) and the total. */
  onProgress?: (received: number, total: number) => void;
  /** Aborts the download (Ctrl-C); the `.part` is kept. */
  signal?: AbortSignal;
}

/** What {@link pullModel} did. */
export interface PullResult {
  /** The final path (`dest`). */
  path: string;
  /** Size of the file in bytes (undefined when it was already present). */
  size?: number;
  /** The verified sha256 (undefined for non-LFS files or when already present). */
  sha256?: string;
  /** Bytes fetched by this call. */
  downloaded: number;
  /** Bytes taken over from an earlier `.part`. */
  resumed: number;
  /** The file was already at `dest`: nothing was fetched, no network used. */
  alreadyPresent: boolean;
}

/** The checksum a download must match. */
interface Expected {
  /** `sha256` for LFS files; `git-sha1` (a git blob id) otherwise. */
  kind: "sha256" | "git-sha1";
  hex: string;
  size: number;
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await Deno.stat(path)).size;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return 0;
    throw e;
  }
}

function message(e: unknown): string {
  return oneLine(e instanceof Error ? e.message : String(e));
}

function newHash(expected: Expected): Hash {
  const hash = createHash(expected.kind === "sha256" ? "sha256" : "sha1");
  // A git blob id hashes a header before the content.
  if (expected.kind === "git-sha1") hash.update(`blob ${expected.size}\0`);
  return hash;
}

async function hashFile(path: string, hash: Hash): Promise<void> {
  const file = await Deno.open(path, { read: true });
  for await (const chunk of file.readable) hash.update(chunk);
}

/** Where the verified sha256 of a downloaded model is kept (`sha256sum` format). */
export function checksumPath(model: string): string {
  return `${model}.sha256`;
}

/** A model file checked against the sha256 its download was verified with. */
export type ChecksumCheck =
  | { status: "match"; sha256: string }
  | { status: "mismatch"; sha256: string; expected: string }
  | { status: "unknown"; sha256: string };

/** Hashes `model` and compares it with its saved checksum ("unknown" when none was saved). */
export async function verifyChecksum(model: string): Promise<ChecksumCheck> {
  const hash = createHash("sha256");
  await hashFile(model, hash);
  const sha256 = hash.digest("hex");
  const saved = await Deno.readTextFile(checksumPath(model)).catch(() => undefined);
  const expected = saved?.match(/^[0-9a-f]{64}/)?.[0];
  if (!expected) return { status: "unknown", sha256 };
  return expected === sha256
    ? { status: "match", sha256 }
    : { status: "mismatch", sha256, expected };
}

async function writeAll(file: Deno.FsFile, data: Uint8Array): Promise<void> {
  let off = 0;
  while (off < data.length) off += await file.write(data.subarray(off));
}

/**
 * Downloads `repo`/`file` from the hub to `dest`, resuming `<dest>.part` when
 * present and verifying the checksum before renaming it into place. Returns at
 * once, without network, when `dest` already exists. Throws one-line
 * {@link CmdaiError}s: {@link ExitCode.runtime} for hub, network, disk and
 * checksum failures, {@link ExitCode.interrupted} when `signal` aborts,
 * {@link ExitCode.usage} for a malformed endpoint or token.
 */
export async function pullModel(opts: PullOptions): Promise<PullResult> {
  const { repo, file, dest, signal } = opts;
  let present: boolean;
  try {
    present = await exists(dest);
  } catch (e) {
    throw new CmdaiError(ExitCode.runtime, `cannot check ${dest}: ${message(e)}`);
  }
  if (present) return { path: dest, downloaded: 0, resumed: 0, alreadyPresent: true };
  const endpoint = (opts.endpoint || DEFAULT_ENDPOINT).replace(/\/+$/, "");
  if (!/^https?:\/\/[^/]+/.test(endpoint) || !URL.canParse(endpoint)) {
    throw new CmdaiError(ExitCode.usage, `HF_ENDPOINT is not an http(s) URL: ${endpoint}`);
  }
  // @huggingface/hub rejects other tokens with a TypeError; say it plainly.
  const token = opts.token || undefined;
  if (token && !token.startsWith("hf_")) {
    throw new CmdaiError(ExitCode.usage, "HF_TOKEN does not look like a token (hf_…)");
  }
  const what = `hf:${repo}/${file}`;
  const part = `${dest}.part`;
  const again = "run the same `cmdai model pull` again to resume";
  const interrupted = () =>
    new CmdaiError(ExitCode.interrupted, `download interrupted; ${again} (kept ${part})`);

  // Every request goes through here: it carries the abort signal, and it keeps
  // the last response and network error, which the library's blob stream
  // reduces to a bare message.
  const last: { response?: Response; error?: unknown } = {};
  const lastResponse = (): Response | undefined => last.response;
  const hubFetch: typeof fetch = async (input, init) => {
    try {
      last.response = await fetch(input, { ...init, signal });
      return last.response;
    } catch (e) {
      last.error = e;
      throw e;
    }
  };

  // Turns whatever failed into one line a user can act on; `next` says what to
  // do about a failure that may pass (resume once bytes are on disk).
  const failure = (e: unknown, next: string): CmdaiError => {
    if (e instanceof CmdaiError) return e;
    if (signal?.aborted) return interrupted();
    if (e instanceof HubApiError) {
      if (e.statusCode === 401 || e.statusCode === 403) {
        return new CmdaiError(
          ExitCode.runtime,
          `${endpoint} refused access to ${repo} (HTTP ${e.statusCode}): ${
            token ? "HF_TOKEN lacks access to it" : "check the name, or set HF_TOKEN"
          }`,
        );
      }
      if (e.statusCode === 404) {
        return new CmdaiError(ExitCode.runtime, `not found on ${endpoint}: ${what}`);
      }
      // The library appends the URL; the endpoint is already in the message.
      const detail = message(e).replace(/\.? ?URL: .*$/, "");
      return new CmdaiError(
        ExitCode.runtime,
        `${endpoint} answered HTTP ${e.statusCode} for ${what}${
          detail ? ` (${detail})` : ""
        }; ${next}`,
      );
    }
    return new CmdaiError(
      ExitCode.runtime,
      `cannot download ${what} from ${endpoint}: ${message(e)}; ${next}`,
    );
  };
  const retry = "check the network and HF_ENDPOINT, then try again";

  if (signal?.aborted) throw interrupted();
  let expected: Expected;
  let blob: Blob;
  try {
    const infos = await pathsInfo({
      repo,
      paths: [file],
      hubUrl: endpoint,
      accessToken: token,
      fetch: hubFetch,
    });
    const info = infos.find((i) => i.path === file && i.type === "file");
    if (!info) throw new CmdaiError(ExitCode.runtime, `not found on ${endpoint}: ${what}`);
    if (info.lfs) {
      expected = { kind: "sha256", hex: info.lfs.oid.toLowerCase(), size: info.lfs.size };
    } else if (info.oid) {
      expected = { kind: "git-sha1", hex: info.oid.toLowerCase(), size: info.size };
    } else {
      throw new CmdaiError(ExitCode.runtime, `${endpoint} gave no checksum for ${what}`);
    }
    // Plain HTTP (xet: false): a Range-capable blob over the resolved URL.
    const found = await downloadFile({
      repo,
      path: file,
      hubUrl: endpoint,
      accessToken: token,
      fetch: hubFetch,
      xet: false,
    });
    if (!found) throw new CmdaiError(ExitCode.runtime, `not found on ${endpoint}: ${what}`);
    blob = found;
  } catch (e) {
    throw failure(e, retry);
  }
  const total = expected.size;
  if (blob.size !== total) {
    throw new CmdaiError(
      ExitCode.runtime,
      `${endpoint} reports two sizes for ${what} (${total} and ${blob.size} bytes)`,
    );
  }

  try {
    await Deno.mkdir(dirname(dest), { recursive: true });
  } catch (e) {
    throw new CmdaiError(ExitCode.runtime, `cannot create ${dirname(dest)}: ${message(e)}`);
  }

  let resumed = 0;
  let hash = newHash(expected);
  try {
    resumed = await sizeOf(part);
    if (resumed > total) {
      // Not a prefix of this file: start over.
      await Deno.remove(part);
      resumed = 0;
    }
    if (resumed > 0) await hashFile(part, hash);
  } catch (e) {
    throw new CmdaiError(ExitCode.runtime, `cannot read ${part}: ${message(e)}`);
  }
  let received = resumed, fetched = 0;
  opts.onProgress?.(received, total);

  if (received < total) {
    let out: Deno.FsFile;
    try {
      out = await Deno.open(part, { create: true, append: true });
    } catch (e) {
      throw new CmdaiError(ExitCode.runtime, `cannot write ${part}: ${message(e)}`);
    }
    last.response = last.error = undefined;
    const reader = (resumed > 0 ? blob.slice(resumed) : blob).stream().getReader();
    let first = true;
    try {
      while (true) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (e) {
          if (signal?.aborted) throw interrupted();
          const resp = lastResponse();
          if (resp && !resp.ok) {
            // The library's blob stream rejects with only its error's message.
            const err = new HubApiError(resp.url, resp.status);
            err.message = typeof e === "string" ? e : "";
            throw failure(err, again);
          }
          throw failure(last.error ?? e, again);
        }
        if (chunk.done) break;
        if (first && resumed > 0) {
          first = false;
          const resp = lastResponse();
          if (resp?.status === 200) {
            // The server ignored Range and sends the whole file: restart the .part.
            await out.truncate(0);
            hash = newHash(expected);
            received = resumed = 0;
          } else if (!resp?.headers.get("content-range")?.startsWith(`bytes ${resumed}-`)) {
            throw new CmdaiError(
              ExitCode.runtime,
              `${endpoint} answered the resume request for ${what} with the wrong range; ${again}`,
            );
          }
        }
        if (received + chunk.value.length > total) {
          await Deno.remove(part).catch(() => {});
          throw new CmdaiError(
            ExitCode.runtime,
            `${endpoint} sent more than the ${total} bytes of ${what}; deleted the partial file`,
          );
        }
        try {
          await writeAll(out, chunk.value);
        } catch (e) {
          throw new CmdaiError(ExitCode.runtime, `cannot write ${part}: ${message(e)}; ${again}`);
        }
        hash.update(chunk.value);
        received += chunk.value.length;
        fetched += chunk.value.length;
        opts.onProgress?.(received, total);
        if (signal?.aborted) throw interrupted();
      }
      await out.syncData();
    } finally {
      await reader.cancel().catch(() => {});
      out.close();
    }
    if (received < total) {
      throw new CmdaiError(
        ExitCode.runtime,
        `the download of ${what} ended early (${received} of ${total} bytes); ${again}`,
      );
    }
  }

  const actual = hash.digest("hex");
  if (actual !== expected.hex) {
    await Deno.remove(part).catch(() => {});
    throw new CmdaiError(
      ExitCode.runtime,
      `checksum mismatch for ${what}: expected ${expected.kind} ${expected.hex}, got ${actual}; ` +
        "deleted the partial file, run `cmdai model pull` again",
    );
  }
  try {
    await Deno.rename(part, dest);
  } catch (e) {
    throw new CmdaiError(ExitCode.runtime, `cannot move ${part} to ${dest}: ${message(e)}`);
  }
  // Kept beside the model, so `cmdai doctor` can check the file again offline.
  if (expected.kind === "sha256") {
    await Deno.writeTextFile(checksumPath(dest), `${expected.hex}  ${basename(dest)}\n`)
      .catch(() => {});
  }
  return {
    path: dest,
    size: total,
    sha256: expected.kind === "sha256" ? expected.hex : undefined,
    downloaded: fetched,
    resumed,
    alreadyPresent: false,
  };
}
