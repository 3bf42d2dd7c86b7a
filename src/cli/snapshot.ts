// The start-up snapshot's script (built by src/build/bundle.ts into dist/trailq.blob). node runs it
// once, at build time: it loads the subcommands that run queries and builds the query parser (by
// parsing and planning a query), and node saves the heap. `node --snapshot-blob dist/trailq.blob
// ARGS...` (bin/trailq) starts from that heap and calls the function registered below.
//
// Nothing here may read the run's environment while the snapshot is built: what a module computes
// when it loads (the project folder, say) is kept from build time.
import { join } from "node:path";
import { startupSnapshot } from "node:v8";
import { main } from "./main.js";
import "./query.js";
import "./templates.js";
import "./explain.js";
import { parseQuery } from "../lang/index.js";
import { buildPlan } from "../plan/build.js";
import { PACKAGE_ROOT } from "../root.js";
import { ExitCode } from "../errors.js";

buildPlan(parseQuery('filter eventName like /Get/ | parse @message "* *" as a, b | stats count(*) as n by bin(1h), eventSource | sort n desc | limit 10'), { now: 0 });

startupSnapshot.setDeserializeMainFunction(() => {
  // bin/trailq says where it lives: a project folder moved since the build has other paths
  const root = process.env["TRAILQ_ROOT"];
  delete process.env["TRAILQ_ROOT"];
  if (root !== undefined && root !== PACKAGE_ROOT) {
    process.stderr.write(`trailq: dist/ was built in ${PACKAGE_ROOT}; run \`npm run build\` in ${root}\n`);
    process.exitCode = ExitCode.usage;
    return;
  }
  // node gives a snapshot's program its arguments after its own path; commander expects the
  // script's path first, as in any node program
  void main([process.argv[0]!, join(PACKAGE_ROOT, "bin", "trailq"), ...process.argv.slice(1)]);
});
