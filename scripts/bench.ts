// `pnpm bench [filter]`: runs every packages/*/bench/*.ts `bench()` in turn and prints their figures.
import { readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const filter = process.argv.slice(2).find((arg) => arg !== "--");

const files = readdirSync(join(root, "packages"), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((entry) => {
    const benchDir = join(root, "packages", entry.name, "bench");
    try {
      return readdirSync(benchDir)
        .filter((file) => file.endsWith(".ts"))
        .map((file) => join(benchDir, file));
    } catch {
      return [];
    }
  })
  .filter((file) => !filter || relative(root, file).includes(filter));

if (files.length === 0) {
  console.error(filter ? `No bench matches "${filter}".` : "No benches found under packages/*/bench/.");
  process.exit(2);
}

let failed = 0;
for (const file of files) {
  const name = relative(root, file);
  console.log(`\n== ${name}`);
  try {
    const module = (await import(pathToFileURL(file).href)) as { bench?: () => Promise<void> };
    if (typeof module.bench !== "function") throw new Error("exports no bench() function");
    await module.bench();
  } catch (error) {
    failed++;
    console.error(`[ ERROR ] ${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
process.exit(failed > 0 ? 2 : 0);
