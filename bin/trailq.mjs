#!/usr/bin/env node
// trailq without its start-up snapshot: the program bundled into dist/bundle by `npm install` /
// `npm run build` (one file to load instead of hundreds of modules). bin/trailq runs this when
// dist/trailq.blob is missing or older than node.
import("../dist/bundle/main.mjs").then((m) => m.main(process.argv), (e) => {
  process.stderr.write(`trailq: not built (${e.message}); run \`npm install\` or \`npm run build\`\n`);
  process.exitCode = 3;
});
