// An S3-compatible server for the tests, on node:http at 127.0.0.1 (a random port), path-style
// (/bucket/key): ListObjectsV2 (prefix, delimiter, start-after, continuation tokens, max-keys),
// GetObject (ETag, If-Match), HeadObject, and faults injected per key or per listed prefix (an
// HTTP error some times then success, a slow answer, a body cut short). It counts every request
// answered (calls), and notes each as it comes (asked: a test can wait for a slow one to be under way).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createHash } from "node:crypto";
import type { AddressInfo } from "node:net";

export interface FakeObject {
  body: Buffer;
  etag: string;
  lastModified: Date;
}

export type Fault =
  /** Answer with this HTTP status (403 AccessDenied, 404 NoSuchKey, 500, 503 SlowDown) `times` times (default: always). */
  | { status: number; times?: number }
  /** Wait this long before answering (less if the client goes away), `times` times (default: always). */
  | { delayMs: number; times?: number }
  /** Send the headers for the whole body, then only this many bytes, and cut the connection. */
  | { truncateAt: number; times?: number };

export interface Call {
  op: "list" | "get" | "head";
  bucket: string;
  key?: string;
  prefix?: string;
  startAfter?: string;
  status: number;
}

const CODES: Record<number, [string, string]> = {
  403: ["AccessDenied", "Access Denied"],
  404: ["NoSuchKey", "The specified key does not exist."],
  412: ["PreconditionFailed", "At least one of the pre-conditions you specified did not hold"],
  500: ["InternalError", "We encountered an internal error. Please try again."],
  503: ["SlowDown", "Please reduce your request rate."],
};

/** Waits ms, or until the answer's connection closes (a client gone: no timer left behind). */
function pause(ms: number, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.once("close", done);
  });
}

const xml = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");

export class FakeS3 {
  readonly buckets = new Map<string, Map<string, FakeObject>>();
  readonly calls: Call[] = [];
  /** Every request as it came, before any delay (op, bucket, key or prefix). */
  readonly asked: Call[] = [];
  /** Faults by object key (GetObject, HeadObject) or by listed prefix (ListObjectsV2: "list:" + prefix). */
  readonly faults = new Map<string, Fault[]>();
  private server: Server | undefined;
  url = "";

  put(bucket: string, key: string, body: Buffer | string, lastModified = new Date("2026-01-01T00:00:00Z")): void {
    let b = this.buckets.get(bucket);
    if (!b) this.buckets.set(bucket, (b = new Map()));
    const buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
    b.set(key, { body: buf, etag: `"${createHash("md5").update(buf).digest("hex")}"`, lastModified });
  }

  fault(target: string, f: Fault): void {
    const list = this.faults.get(target) ?? [];
    list.push(f);
    this.faults.set(target, list);
  }

  /** Requests of a kind answered (200); `all`: tried too (faults, and the retries a reset connection causes). */
  count(op: Call["op"], all = false): number {
    return this.calls.filter((c) => c.op === op && (all || c.status === 200)).length;
  }

  reset(): void {
    this.calls.length = 0;
    this.asked.length = 0;
    this.faults.clear();
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => {
        res.destroy();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The next fault for a target, used up when counted. */
  private take(target: string): Fault | undefined {
    const list = this.faults.get(target);
    const f = list?.[0];
    if (!f) return undefined;
    if (f.times !== undefined) {
      f.times--;
      if (f.times <= 0) list!.shift();
    }
    return f;
  }

  private error(res: ServerResponse, status: number, call: Call, resource: string): void {
    call.status = status;
    this.calls.push(call);
    const [code, message] = CODES[status] ?? ["Error", `HTTP ${status}`];
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xml(message)}</Message><Resource>${xml(resource)}</Resource><RequestId>fake</RequestId></Error>`;
    res.writeHead(status, { "content-type": "application/xml", "content-length": Buffer.byteLength(body) });
    res.end(call.op === "head" ? undefined : body);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // drain any request body
    for await (const _ of req) {
      // nothing sent for GET
    }
    const url = new URL(req.url ?? "/", "http://x");
    const parts = url.pathname.split("/");
    const bucket = decodeURIComponent(parts[1] ?? "");
    const key = parts.slice(2).map(decodeURIComponent).join("/");
    const b = this.buckets.get(bucket);
    if (req.method === "GET" && key === "") {
      const prefix = url.searchParams.get("prefix") ?? "";
      const call: Call = { op: "list", bucket, prefix, status: 200 };
      const startAfter = url.searchParams.get("start-after");
      if (startAfter !== null) call.startAfter = startAfter;
      this.asked.push(call);
      if (!b) {
        call.status = 404;
        this.calls.push(call);
        const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message><BucketName>${xml(bucket)}</BucketName></Error>`;
        res.writeHead(404, { "content-type": "application/xml" });
        res.end(body);
        return;
      }
      const f = this.take(`list:${prefix}`);
      if (f && "delayMs" in f) await pause(f.delayMs, res);
      if (res.destroyed || req.socket.destroyed) {
        call.status = 0;
        this.calls.push(call);
        return;
      }
      if (f && "status" in f) return this.error(res, f.status, call, `/${bucket}`);
      this.calls.push(call);
      return this.list(b, bucket, url.searchParams, res);
    }
    const call: Call = { op: req.method === "HEAD" ? "head" : "get", bucket, key, status: 200 };
    this.asked.push(call);
    const obj = b?.get(key);
    const f = this.take(key);
    if (f && "delayMs" in f) await pause(f.delayMs, res);
    if (res.destroyed || req.socket.destroyed) {
      call.status = 0;
      this.calls.push(call);
      return;
    }
    if (f && "status" in f) return this.error(res, f.status, call, `/${bucket}/${key}`);
    if (!obj) return this.error(res, 404, call, `/${bucket}/${key}`);
    const ifMatch = req.headers["if-match"];
    if (ifMatch !== undefined && ifMatch !== obj.etag && ifMatch !== "*") return this.error(res, 412, call, `/${bucket}/${key}`);
    this.calls.push(call);
    res.writeHead(200, {
      "content-type": "application/octet-stream",
      "content-length": obj.body.length,
      etag: obj.etag,
      "last-modified": obj.lastModified.toUTCString(),
    });
    if (call.op === "head") {
      res.end();
      return;
    }
    if (f && "truncateAt" in f) {
      res.write(obj.body.subarray(0, f.truncateAt));
      setTimeout(() => res.destroy(), 20);
      return;
    }
    res.end(obj.body);
  }

  private list(b: Map<string, FakeObject>, bucket: string, q: URLSearchParams, res: ServerResponse): void {
    const prefix = q.get("prefix") ?? "";
    const delimiter = q.get("delimiter") ?? "";
    const maxKeys = Math.min(1000, Number(q.get("max-keys") ?? 1000));
    const token = q.get("continuation-token");
    const startAfter = token ? Buffer.from(token, "base64").toString("utf8") : (q.get("start-after") ?? "");
    const urlEncoded = q.get("encoding-type") === "url";
    const enc = (s: string): string => xml(urlEncoded ? encodeURIComponent(s).replace(/%2F/g, "/") : s);
    // the entries after start-after in key order: objects, and each common prefix once
    const keys = [...b.keys()].filter((k) => k.startsWith(prefix)).sort();
    const entries: { key: string; folder: boolean }[] = [];
    const seen = new Set<string>();
    for (const k of keys) {
      const rest = k.slice(prefix.length);
      const at = delimiter ? rest.indexOf(delimiter) : -1;
      if (at >= 0) {
        const cp = prefix + rest.slice(0, at + delimiter.length);
        if (seen.has(cp)) continue;
        seen.add(cp);
        entries.push({ key: cp, folder: true });
      } else entries.push({ key: k, folder: false });
    }
    // a common prefix sorts by itself; start-after skips what sorts at or before it
    const after = entries.filter((e) => e.key > startAfter && !(e.folder && startAfter.startsWith(e.key)));
    const page = after.slice(0, maxKeys);
    const truncated = after.length > page.length;
    const last = page[page.length - 1]?.key ?? "";
    const body = [
      `<?xml version="1.0" encoding="UTF-8"?>`,
      `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">`,
      `<Name>${xml(bucket)}</Name><Prefix>${enc(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys>`,
      delimiter ? `<Delimiter>${enc(delimiter)}</Delimiter>` : "",
      urlEncoded ? `<EncodingType>url</EncodingType>` : "",
      `<IsTruncated>${truncated}</IsTruncated>`,
      token ? `<ContinuationToken>${xml(token)}</ContinuationToken>` : "",
      truncated ? `<NextContinuationToken>${Buffer.from(last).toString("base64")}</NextContinuationToken>` : "",
      ...page.map((e) => {
        if (e.folder) return `<CommonPrefixes><Prefix>${enc(e.key)}</Prefix></CommonPrefixes>`;
        const o = b.get(e.key)!;
        return `<Contents><Key>${enc(e.key)}</Key><LastModified>${o.lastModified.toISOString()}</LastModified><ETag>${xml(o.etag)}</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
      }),
      `</ListBucketResult>`,
    ].join("");
    res.writeHead(200, { "content-type": "application/xml", "content-length": Buffer.byteLength(body) });
    res.end(body);
  }
}
