// Hashing functions: hex digests of the UTF-8 text.
import { createHash } from "node:crypto";
import type { FunctionDef } from "./types.js";
import { textFn } from "./helpers.js";

const digest = (algo: string) => (s: string) => createHash(algo).update(s, "utf8").digest("hex");

export const hashFunctions: FunctionDef[] = [
  textFn("md5", "md5(str)", "MD5 digest in hex", 1, 1, "string", digest("md5"), { category: "hash" }),
  textFn("sha256", "sha256(str)", "SHA-256 digest in hex", 1, 1, "string", digest("sha256"), { category: "hash" }),
];
