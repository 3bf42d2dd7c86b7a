// GET /api/event?ptr=FILE%23INDEX[&eventID=ID]: the whole event a finding points at (its @ptr), for
// the detect tab's row details. Only the files the console reads can be named: the ptr's file is
// looked for among the inputs' files (by the name @ptr gives them), and that file alone is read.
// Two inputs may hold files of one name: the first whose record there has the eventID is it.
import type { ServerResponse } from "node:http";
import { Reader } from "../sources/index.js";
import { HttpError, sendJson } from "./http.js";

export async function eventRoute(url: URL, res: ServerResponse, inputs: string[]): Promise<void> {
  const ptr = url.searchParams.get("ptr") ?? "";
  const eventID = url.searchParams.get("eventID");
  const hash = ptr.lastIndexOf("#");
  const index = Number(ptr.slice(hash + 1));
  if (hash <= 0 || !Number.isInteger(index) || index < 0) throw new HttpError(400, "ptr: FILE#INDEX, as @ptr gives it");
  const name = ptr.slice(0, hash);
  const reader = new Reader(inputs, { warn: () => {}, raw: false });
  for (const found of reader.found()) {
    if (found.file.display !== name || found.file.pipe || found.file.path === "-") continue;
    for await (const batch of reader.read(found)) {
      const event = batch.events[index - batch.firstIndex];
      if (index < batch.firstIndex || !event) continue;
      if (eventID === null || event["eventID"] === eventID) return sendJson(res, 200, { event });
      break;
    }
  }
  throw new HttpError(404, "no such event in the inputs (was a file changed?)");
}
