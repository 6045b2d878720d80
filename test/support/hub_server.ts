/**
 * A local HTTP server that answers like the Hugging Face hub, for download
 * tests without network.
 *
 * Routes (what `@huggingface/hub` and the hub's clients request):
 * - `POST /api/models/{owner}/{repo}/paths-info/{rev}`: JSON entries with
 *   `oid` (git blob id), `size` and, for LFS files, `lfs: {oid: sha256, size}`.
 * - `GET|HEAD /{owner}/{repo}/resolve/{rev}/{file}`: for Xet files asked with the
 *   Xet file-info `Accept`, that info (headers `X-Xet-Hash`, `Link`); for LFS files a 302 to
 *   `/cdn/{sha256}?sig=…` with `X-Linked-Size`, `X-Linked-ETag` (the sha256),
 *   `X-Repo-Commit`; plain files are served in place with their git blob id
 *   as `ETag`.
 * - `GET|HEAD /cdn/{sha256}`: the bytes, honouring `Range` (206 +
 *   `Content-Range`, 416 when unsatisfiable), `ETag` = the sha256.
 *
 * Faults are switched on through {@link HubServer.behaviour}: cut the next data
 * response after N bytes, serve corrupted bytes, ignore `Range`, require a
 * token, answer every request (or only data requests) with an error status. Every request is recorded.
 *
 * @module
 */

import { createHash } from "node:crypto";

/** A file the fake hub serves. */
export interface HubFile {
  /** `owner/name`. */
  repo: string;
  /** Path inside the repository (may contain `/`). */
  path: string;
  content: Uint8Array;
  /** Stored with Git LFS (served through the CDN redirect). Default true. */
  lfs?: boolean;
  /**
   * Stored with Xet (as most hub repositories are now): a resolve request that
   * accepts `application/vnd.xet-fileinfo+json` gets the Xet file info instead
   * of the redirect. Plain requests are still redirected to the bytes. Implies LFS.
   */
  xet?: boolean;
}

/** Faults and requirements; change them between requests. */
export interface HubBehaviour {
  /** Require `Authorization: Bearer <token>` on hub routes (not the signed CDN). */
  token?: string;
  /** Cut the connection of the next data response after this many body bytes. */
  cutAfter?: number;
  /** Serve bytes that differ from the file (headers still carry the real sha256). */
  corrupt?: boolean;
  /** Answer ranged data requests (not the probe) with the whole file (200), as some servers do. */
  ignoreRange?: boolean;
  /** Answer every request with this status (e.g. 500, 503). */
  failStatus?: number;
  /** Answer data requests (not the one-byte metadata probe) with this status. */
  failDataStatus?: number;
  /** Body chunk size for data responses. Default 64 KiB. */
  chunkSize?: number;
  /** Pause before each data chunk (a slow link), in milliseconds. */
  chunkDelayMs?: number;
}

/** One request the server received. */
export interface RecordedRequest {
  method: string;
  /** Path and query. */
  path: string;
  /** Header names lower-cased. */
  headers: Record<string, string>;
}

/** A running fake hub. */
export interface HubServer {
  /** Base URL, e.g. `http://127.0.0.1:43123` (what `HF_ENDPOINT` is set to). */
  url: string;
  /** Every request so far, oldest first. */
  requests: RecordedRequest[];
  behaviour: HubBehaviour;
  /** The commit id the server reports for every repository. */
  commit: string;
  /** Lower-case hex sha256 of a served file's real content. */
  sha256(content: Uint8Array): string;
  close(): Promise<void>;
}

function hex(algorithm: string, ...parts: (Uint8Array | string)[]): string {
  const hash = createHash(algorithm);
  for (const part of parts) hash.update(part);
  return hash.digest("hex");
}

/** A git blob id: sha1 of `blob <size>\0<content>`. */
function gitBlobId(content: Uint8Array): string {
  return hex("sha1", `blob ${content.length}\0`, content);
}

interface Entry extends HubFile {
  sha256: string;
  oid: string;
  pointerSize: number;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/** Parses `bytes=a-b` / `bytes=a-` against `size`; null when unsatisfiable. */
function parseRange(header: string, size: number): [number, number] | null {
  const m = /^bytes=(\d+)-(\d*)$/.exec(header.trim());
  if (!m) return null;
  const start = Number(m[1]);
  const end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return null;
  return [start, end];
}

/** Starts a fake hub on 127.0.0.1 (a free port) serving `files`. */
export function startHubServer(files: HubFile[], behaviour: HubBehaviour = {}): HubServer {
  const commit = hex("sha1", "cmdai-test-commit");
  const entries: Entry[] = files.map((f) => {
    const sha256 = hex("sha256", f.content);
    const lfs = (f.lfs ?? true) || !!f.xet;
    const pointer =
      `version https://git-lfs.github.com/spec/v1\noid sha256:${sha256}\nsize ${f.content.length}\n`;
    const pointerBytes = new TextEncoder().encode(pointer);
    return {
      ...f,
      lfs,
      sha256,
      oid: gitBlobId(lfs ? pointerBytes : f.content),
      pointerSize: pointerBytes.length,
    };
  });
  const requests: RecordedRequest[] = [];
  const server: HubServer = {
    url: "",
    requests,
    behaviour,
    commit,
    sha256: (content) => hex("sha256", content),
    close: async () => {
      await http.shutdown();
    },
  };

  const authorized = (req: Request): boolean =>
    !server.behaviour.token ||
    req.headers.get("authorization") === `Bearer ${server.behaviour.token}`;

  const unauthorized = () =>
    json(401, { error: "Invalid credentials in Authorization header" }, {
      "x-error-code": "GatedRepo",
    });

  const repoNotFound = () =>
    json(404, { error: "Repository not found" }, { "x-error-code": "RepoNotFound" });

  // Serves `entry`'s bytes with Range support and the configured faults.
  const serveData = (req: Request, entry: Entry, extra: Record<string, string>): Response => {
    const b = server.behaviour;
    const size = entry.content.length;
    const rangeHeader = req.headers.get("range");
    // The one-byte probe clients make for metadata is never failed nor cut.
    const isProbe = rangeHeader?.trim() === "bytes=0-0";
    if (b.failDataStatus && !isProbe) {
      return json(b.failDataStatus, { error: `test hub data failure ${b.failDataStatus}` });
    }
    let body = entry.content;
    if (b.corrupt) {
      body = body.slice();
      for (let i = 0; i < body.length; i += 4096) body[i] ^= 0xff;
    }
    const headers: Record<string, string> = {
      "accept-ranges": "bytes",
      "content-type": "application/octet-stream",
      ...extra,
    };
    let status = 200;
    if (rangeHeader && !(b.ignoreRange && !isProbe)) {
      const range = parseRange(rangeHeader, size);
      if (!range) {
        return new Response(null, { status: 416, headers: { "content-range": `bytes */${size}` } });
      }
      status = 206;
      headers["content-range"] = `bytes ${range[0]}-${range[1]}/${size}`;
      body = body.subarray(range[0], range[1] + 1);
    }
    headers["content-length"] = String(body.length);
    if (req.method === "HEAD") return new Response(null, { status, headers });
    const cutAfter = isProbe ? undefined : b.cutAfter;
    if (cutAfter !== undefined) b.cutAfter = undefined;
    const chunk = b.chunkSize ?? 64 * 1024;
    let offset = 0;
    // A pending delay, cleared when the client goes away so no timer outlives it.
    let wait: { timer: ReturnType<typeof setTimeout>; done: () => void } | undefined;
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (b.chunkDelayMs) {
          await new Promise<void>((done) => {
            wait = { timer: setTimeout(done, b.chunkDelayMs), done };
          });
          wait = undefined;
        }
        const limit = cutAfter !== undefined ? Math.min(cutAfter, body.length) : body.length;
        if (offset >= limit) {
          // Ending the body short of its Content-Length drops the connection.
          controller.close();
          return;
        }
        const end = Math.min(offset + chunk, limit);
        controller.enqueue(body.slice(offset, end));
        offset = end;
      },
      cancel() {
        if (wait) clearTimeout(wait.timer), wait.done();
      },
    });
    return new Response(stream, { status, headers });
  };

  const handle = async (req: Request): Promise<Response> => {
    const url = new URL(req.url);
    const headers: Record<string, string> = {};
    req.headers.forEach((v, k) => headers[k] = v);
    requests.push({ method: req.method, path: url.pathname + url.search, headers });
    const b = server.behaviour;
    if (b.failStatus) return json(b.failStatus, { error: `test hub failure ${b.failStatus}` });
    const path = decodeURIComponent(url.pathname);

    const cdn = /^\/cdn\/([0-9a-f]{64})$/.exec(path);
    if (cdn) {
      const entry = entries.find((e) => e.sha256 === cdn[1]);
      if (!entry || (req.method !== "GET" && req.method !== "HEAD")) {
        return new Response("not found", { status: 404 });
      }
      return serveData(req, entry, { etag: `"${entry.sha256}"` });
    }

    const info = /^\/api\/models\/([^/]+\/[^/]+)\/paths-info\/([^/]+)$/.exec(path);
    if (info) {
      if (req.method !== "POST") return json(405, { error: "method not allowed" });
      if (!authorized(req)) return unauthorized();
      const [, repo, rev] = info;
      if (!entries.some((e) => e.repo === repo)) return repoNotFound();
      if (rev !== "main" && rev !== commit) {
        return json(404, { error: "Invalid rev id" }, { "x-error-code": "RevisionNotFound" });
      }
      const wanted: unknown = (await req.json())?.paths;
      const paths = Array.isArray(wanted) ? wanted : [];
      return json(
        200,
        entries.filter((e) => e.repo === repo && paths.includes(e.path)).map((e) => ({
          type: "file",
          oid: e.oid,
          size: e.content.length,
          path: e.path,
          ...(e.lfs && {
            lfs: { oid: e.sha256, size: e.content.length, pointerSize: e.pointerSize },
          }),
          ...(e.xet && { xetHash: hex("sha256", "xet", e.content) }),
        })),
      );
    }

    const resolve = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(path);
    if (resolve) {
      if (req.method !== "GET" && req.method !== "HEAD") return json(405, { error: "no" });
      if (!authorized(req)) return unauthorized();
      const [, repo, rev, file] = resolve;
      if (!entries.some((e) => e.repo === repo)) return repoNotFound();
      if (rev !== "main" && rev !== commit) {
        return json(404, { error: "Invalid rev id" }, { "x-error-code": "RevisionNotFound" });
      }
      const entry = entries.find((e) => e.repo === repo && e.path === file);
      if (!entry) {
        return json(404, { error: "Entry not found" }, { "x-error-code": "EntryNotFound" });
      }
      const common = { "x-repo-commit": commit };
      const accept = req.headers.get("accept") ?? "";
      if (entry.xet && accept.includes("application/vnd.xet-fileinfo+json")) {
        // What the hub answers Xet-aware clients; the Xet routes it links to are
        // not served, so a client that takes them fails.
        const xetHash = hex("sha256", "xet", entry.content);
        const base = `${server.url}/api/models/${repo}/xet-read-token/${commit}`;
        return json(200, { casUrl: `${server.url}/cas`, hash: xetHash }, {
          ...common,
          "content-type": "application/vnd.xet-fileinfo+json",
          "x-linked-size": String(entry.content.length),
          "x-linked-etag": `"${entry.sha256}"`,
          "x-xet-hash": xetHash,
          link: `<${base}>; rel="xet-auth", <${server.url}/cas/reconstructions/${xetHash}>; ` +
            `rel="xet-reconstruction-info"`,
        });
      }
      if (!entry.lfs) return serveData(req, entry, { ...common, etag: `"${entry.oid}"` });
      return new Response(null, {
        status: 302,
        headers: {
          ...common,
          location: `/cdn/${entry.sha256}?sig=test`,
          "x-linked-size": String(entry.content.length),
          "x-linked-etag": `"${entry.sha256}"`,
          etag: `W/"${entry.oid}"`,
        },
      });
    }
    return new Response("not found", { status: 404 });
  };

  const http = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handle);
  server.url = `http://127.0.0.1:${http.addr.port}`;
  return server;
}
