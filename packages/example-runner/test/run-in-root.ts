// `pnpm example` over another repository root (argv[2]): lets a test run an example of its own making.
import { runCli } from "@bct/cli";
import { main } from "../src/main.ts";

const [root, ...argv] = process.argv.slice(2);
await runCli((console) => main(argv, console, { repoRoot: root! }));
