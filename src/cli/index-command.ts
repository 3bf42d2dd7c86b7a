// `trailq index FOLDER...`: builds or brings up to date each folder's field index
// (sources/field-index.ts), so that queries filtering on an indexed field's value leave out,
// unopened, the files whose events hold none of the values asked for.
import { ExitCode, UserError } from "../errors.js";
import { buildIndex, type IndexBuilt } from "../exec/index-build.js";
import { isS3Url } from "../sources/s3/url.js";
import { isFolder } from "../sources/walk.js";
import { indexHome } from "../sources/field-index.js";
import { errorCode, errorReason } from "../output/files.js";
import { checkInputs, note, warn as warnLine } from "./io.js";
import { progressFor } from "./query.js";
import { grouped, plural } from "./summary.js";

/** What a build did: `indexed 1,246 files of trail/ (20,000 events) · 1,246 read · 0.52 s`. */
export function indexedNote(folder: string, built: IndexBuilt): string {
  const unchanged = built.files - (built.read - built.left);
  const parts = [
    `indexed ${plural(built.files, "file")} of ${folder} (${plural(built.events, "event")})`,
    built.read === 0 ? "up to date" : unchanged > 0 ? `${grouped(built.read)} read, ${grouped(unchanged)} unchanged since the last index` : `${grouped(built.read)} read`,
    `${(built.elapsedMs / 1000).toFixed(2)} s`,
  ];
  if (built.left > 0) parts.push(`${plural(built.left, "file")} with a problem left out (queries read them as usual)`);
  return parts.join(" · ");
}

export async function indexCommand(folders: string[], opts: { quiet?: boolean }): Promise<void> {
  for (const f of folders) {
    if (f === "-" || isS3Url(f)) throw new UserError(`${f}: trailq index reads folders on this machine (not standard input or s3://)`, ExitCode.usage);
  }
  checkInputs(folders);
  for (const f of folders) if (!isFolder(f)) throw new UserError(`${f} is a file: trailq index takes folders (queries over a file below an indexed folder use its index)`, ExitCode.usage);
  const interrupt = new AbortController();
  const onSigint = (): void => interrupt.abort();
  process.once("SIGINT", onSigint);
  try {
    for (const folder of folders) {
      const { progress } = progressFor([folder], { enabled: !opts.quiet && process.stderr.isTTY === true });
      const warn = (m: string): void => {
        progress.clear();
        warnLine(m);
      };
      let built;
      try {
        built = await buildIndex(folder, { warn, signal: interrupt.signal, onProgress: (r) => progress.update(r) });
      } catch (e) {
        // the cache folder can't be written (permissions, a full or read-only disk)
        if (errorCode(e) === undefined) throw e;
        throw new UserError(`can't write the index of ${folder} in ${indexHome()}: ${errorReason(e)}`, ExitCode.path);
      } finally {
        progress.done();
      }
      if (built.interrupted) {
        process.exitCode = ExitCode.interrupted;
        if (!opts.quiet) note(`interrupted: the index of ${folder} is left as it was`);
        return;
      }
      if (!opts.quiet) note(`${indexedNote(folder, built)} · index in ${built.dir}`);
    }
  } finally {
    process.off("SIGINT", onSigint);
  }
}
