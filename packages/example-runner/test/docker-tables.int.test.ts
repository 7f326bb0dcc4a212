import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import type { Engine } from "@bct/engine";
import { describeWithEngine, testEngine } from "@bct/engine/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { courseImages } from "../src/course-images.ts";
import { IMAGE_LS_HEADER, PS_HEADER, renderImageTable, renderPsTable } from "../src/docker-tables.ts";

/** The docker CLI on PATH (CI: Debian's 28.5.2), pointed at the engine the kit uses. */
function docker(engine: Engine, ...args: string[]): string {
  return execFileSync("docker", args, { env: engine.cliEnvironment(), encoding: "utf8" });
}

const cells = (line: string) => line.trim().split(/ {2,}/);

/** The course's own nginx and alpine, so the test follows the examples' tags. */
const course = (await courseImages(resolve(import.meta.dirname, "../../.."))).map((image) => image.ref);
const courseImage = (repository: string) => course.find((ref) => ref.startsWith(`${repository}:`))!;
const NGINX = courseImage("nginx");
const ALPINE = courseImage("alpine");

describeWithEngine("the runner's docker tables against the real docker CLI", () => {
  let engine: Engine;

  beforeAll(async () => {
    engine = await testEngine("docker-tables");
    await engine.containers.start({
      image: NGINX,
      name: `tables-web-${engine.session.id}`,
      ports: [{ host: 18089, container: 80 }],
    });
    await engine.containers.start({
      image: ALPINE,
      name: `tables-idle-${engine.session.id}`,
      command: ["sleep", "60"],
    });
  });

  afterAll(async () => {
    await engine?.cleanup();
  });

  it("docker ps: the same table, byte for byte, as `docker ps` prints for the same containers", async () => {
    let ours = "";
    let theirs = "";
    // CREATED and STATUS tick every second: read both within one second, retry when the clock moved between.
    for (let attempt = 0; attempt < 5; attempt++) {
      const listed = await engine.containers.list({ label: `bct.session=${engine.session.id}` });
      ours = renderPsTable(listed, Math.floor(Date.now() / 1000));
      theirs = docker(engine, "ps", "--filter", `label=bct.session=${engine.session.id}`);
      if (ours === theirs) break;
    }
    expect(ours.split("\n")).toEqual(theirs.split("\n"));
    expect(cells(ours.split("\n")[0]!)).toEqual(PS_HEADER);
    expect(ours.trimEnd().split("\n")).toHaveLength(3);
    expect(ours).toBe(theirs);
    expect(ours).toContain("0.0.0.0:18089->80/tcp");
  });

  it("docker image ls: CLI 29's collapsed columns, with the sizes and id the CLI computes (28.5's --tree view)", async () => {
    const usage = await engine.images.usage(ALPINE);
    expect(usage).toBeDefined();
    const ours = renderImageTable([{ ...usage!, reference: ALPINE }])
      .trimEnd()
      .split("\n");
    expect(cells(ours[0]!)).toEqual(IMAGE_LS_HEADER);
    // `--tree` prints, per image, the row the collapsed view shows (then one row per platform).
    const tree = docker(engine, "image", "ls", "--tree", ALPINE)
      .replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g"), "")
      .split("\n");
    const header = tree.find((line) => line.startsWith("IMAGE"))!;
    expect(cells(header)).toEqual(IMAGE_LS_HEADER);
    const row = tree.find((line) => line.startsWith(ALPINE))!;
    expect(cells(ours[1]!)).toEqual(cells(row));
    // Sizes are right-aligned under their headings, as in the CLI.
    for (const [index, name] of ["DISK USAGE", "CONTENT SIZE"].entries()) {
      const end = ours[0]!.indexOf(name) + name.length;
      const value = cells(ours[1]!)[2 + index]!;
      expect(ours[1]!.slice(end - value.length, end)).toBe(value);
    }
  });
});
