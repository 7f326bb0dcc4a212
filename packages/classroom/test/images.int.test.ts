import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Console } from "@bct/cli";
import { LABEL, MULTIARCH_FIX } from "@bct/engine";
import { describeWithEngine, testEngine } from "@bct/engine/testing";
import { afterAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { loadImages, pullCourseImages, saveImages } from "../src/image-commands.ts";
import { findRepoRoot } from "../src/repo-root.ts";

const root = findRepoRoot();
const imagesCli = join(root, "packages/classroom/src/images.ts");

function images(args: string[], env: Record<string, string | undefined> = process.env) {
  const result = spawnSync(process.execPath, [imagesCli, ...args], {
    cwd: root,
    env: { ...env, NO_COLOR: "1" },
    encoding: "utf8",
    timeout: 300_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function collectingConsole() {
  const out: string[] = [];
  const err: string[] = [];
  const console = new Console(
    { write: (text: string) => out.push(text) },
    { write: (text: string) => err.push(text) },
    {
      NO_COLOR: "1",
    },
  );
  return { console, out, err };
}

const FLAGS_WITH_VALUE =
  /^(-e|--env|-p|--publish|-v|--volume|--name|--platform|--label|-l|--network|-w|--workdir|-u|--user|--entrypoint|--mount|--memory|--cpus|--pids-limit|--cap-drop|--cap-add|--security-opt|--tmpfs|--network-alias|--restart|--env-file|--add-host|-h|--hostname|--dns|--ulimit|--device|--log-driver|--stop-signal|--stop-timeout|--cidfile)$/;

/** The image of each `docker run` / `docker pull` in a shell text: the first word after the options. */
function dockerRunImages(script: string): string[] {
  const refs: string[] = [];
  for (const line of script.replace(/\\\n/g, " ").split("\n")) {
    const words = line.trim().split(/\s+/);
    const at = words.findIndex(
      (word, index) => word === "docker" && /^(run|pull)$/.test(words[index + 1] ?? ""),
    );
    if (at < 0) continue;
    const rest = words.slice(at + 2);
    for (let index = 0; index < rest.length; index++) {
      const word = rest[index]!.replace(/^["']|["']$/g, "");
      if (word.startsWith("$")) continue;
      if (word.startsWith("-")) {
        if (!word.includes("=") && FLAGS_WITH_VALUE.test(word)) index++;
        continue;
      }
      // A reference built from a shell variable is not an upstream image the course can list.
      if (!word.includes("$")) refs.push(word);
      break;
    }
  }
  return refs;
}

/**
 * The upstream images the repository names, found without the runner's code: image: lines of run/pull
 * steps, `docker run|pull` in shell steps and in the registry fix of `requires: local-registry`, FROM / COPY --from in Dockerfiles (ARG defaults and the manifests'
 * build args substituted), minus stage names, scratch, what the examples build or tag, and localhost:5000.
 */
function imageReferencesInRepo(): Set<string> {
  const found = new Set<string>();
  const own = new Set<string>();
  const buildArgs = new Map<string, Record<string, string>[]>();
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
    );
  const files = ["examples", "exercise"].flatMap((folder) =>
    existsSync(join(root, folder)) ? walk(join(root, folder)) : [],
  );

  for (const file of files.filter((path) => path.endsWith("example.yaml"))) {
    const manifest = parseYaml(readFileSync(file, "utf8")) as {
      steps: Record<string, unknown>[];
      requires?: string[];
    };
    for (const step of manifest.steps) {
      if (step.kind === "build") {
        own.add(String(step.tag));
        const dockerfile = join(
          file,
          "..",
          String(step.context ?? "."),
          String(step.dockerfile ?? "Dockerfile"),
        );
        buildArgs.set(dockerfile, [
          ...(buildArgs.get(dockerfile) ?? []),
          (step.buildArgs ?? {}) as Record<string, string>,
        ]);
      }
      if (step.kind === "tag") own.add(String(step.target));
      if ((step.kind === "run" || step.kind === "pull") && typeof step.image === "string")
        found.add(step.image);
      if (step.kind === "shell") for (const ref of dockerRunImages(String(step.script))) found.add(ref);
    }
    // The fix the runner prints for a missing course registry starts one from an upstream image.
    if ((manifest.requires ?? []).includes("local-registry")) {
      for (const ref of dockerRunImages(MULTIARCH_FIX.registry)) found.add(ref);
    }
  }
  const dockerfiles = files
    .filter((path) => /\/Dockerfile(\.[^/]+)?$/.test(path))
    .map((file) => ({ file, text: readFileSync(file, "utf8") }));
  for (const file of files.filter((path) => path.endsWith("exercise.yaml"))) {
    const solution = (parseYaml(readFileSync(file, "utf8")) as { solution?: string }).solution;
    if (solution) {
      const encoded = readFileSync(join(file, "..", solution), "utf8");
      dockerfiles.push({
        file: join(file, "..", solution),
        text: Buffer.from(encoded, "base64").toString("utf8"),
      });
    }
  }
  for (const { file, text } of dockerfiles) {
    for (const args of buildArgs.get(file) ?? [{}]) {
      const values: Record<string, string> = {};
      const stages = new Set<string>();
      for (const line of text.split("\n")) {
        const arg = /^\s*ARG\s+(\w+)(?:=(\S+))?/i.exec(line);
        if (arg)
          values[arg[1]!] = args[arg[1]!] ?? arg[2]?.replace(/^["']|["']$/g, "") ?? values[arg[1]!] ?? "";
        const from = /^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
        const copy = /^\s*COPY\s+.*--from=(\S+)/i.exec(line);
        const ref = from?.[1] ?? copy?.[1];
        if (ref) {
          const resolved = ref.replace(/\$\{?(\w+)\}?/g, (_, name: string) => values[name] ?? "");
          if (resolved !== "scratch" && !stages.has(resolved.toLowerCase()) && !/^\d+$/.test(resolved))
            found.add(resolved);
        }
        if (from?.[2]) stages.add(from[2].toLowerCase());
      }
    }
  }
  return new Set(
    [...found]
      .map((ref) => ref.replace(/^docker\.io\/(library\/)?/, ""))
      .filter((ref) => !own.has(ref) && !/^(localhost|127\.0\.0\.1)(:\d+)?\//.test(ref)),
  );
}

describe("pnpm images list", () => {
  it("equals the set of image references found in the repository", () => {
    const listed = images(["list", "--json"]);
    expect(listed.stderr).toBe("");
    expect(listed.status).toBe(0);
    const refs = (JSON.parse(listed.stdout) as { ref: string; usedBy: string[] }[]).map((image) => image.ref);
    expect(new Set(refs)).toEqual(imageReferencesInRepo());
    expect(refs.length).toBeGreaterThan(3);
    expect(refs).toContain("alpine:3.24");
  });

  it("names, in the text form, the files that use each image", () => {
    const listed = images(["list"]);
    expect(listed.status).toBe(0);
    const alpine = listed.stdout.split("\n").find((line) => line.startsWith("alpine:3.24 "));
    expect(alpine).toContain("examples/multi-arch/Dockerfile");
  });

  it("rejects an unknown subcommand with the closest one and changes nothing", () => {
    const result = images(["lsit"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Unknown subcommand "lsit"');
    expect(result.stderr).toContain("Did you mean: pnpm images list?");
  });
});

describeWithEngine("pnpm images save / load / pull on the engine", () => {
  const work = mkdtempSync(join(tmpdir(), "bct-images-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("round-trips an image through save, remove and load", async () => {
    const engine = await testEngine("images-roundtrip");
    writeFileSync(join(work, "Dockerfile"), "FROM alpine:3.24\nLABEL purpose=roundtrip\n");
    const ref = "bct-test/roundtrip:1";
    try {
      const built = await engine.images.build({ context: work, tags: [ref] });
      const { console, err } = collectingConsole();
      const file = join(work, "roundtrip.tar");
      const bytes = await saveImages(engine, [ref], file, console);
      expect(bytes).toBe(statSync(file).size);
      expect(bytes).toBeGreaterThan(100_000);
      expect(existsSync(`${file}.partial`)).toBe(false);
      expect(err.join("")).toContain("Saving 1 images to");

      await engine.images.remove(ref);
      expect(await engine.images.exists(ref)).toBe(false);

      const loaded = await loadImages(engine, file);
      expect(loaded).toContain(ref);
      const details = await engine.images.inspect(ref);
      expect(details?.id).toBe(built.imageId);
      expect(details?.labels[LABEL.session]).toBe(engine.session.id);
      expect(details?.labels.purpose).toBe("roundtrip");
    } finally {
      await engine.cleanup();
    }
    expect(await engine.listLabelled(engine.session.id)).toEqual({
      containers: [],
      networks: [],
      volumes: [],
      images: [],
    });
  });

  it("refuses to save an image that is not there, and leaves no file", async () => {
    const engine = await testEngine("images-save-missing");
    const file = join(work, "missing.tar");
    const { console } = collectingConsole();
    await expect(saveImages(engine, ["bct-test/not-there:1"], file, console)).rejects.toMatchObject({
      code: "IMAGE_MISSING",
      hint: "Pull them first: pnpm images pull",
    });
    expect(existsSync(file)).toBe(false);
  });

  it("load names a missing tarball", () => {
    const result = images(["load", join(work, "nowhere.tar")]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`There is no file ${join(work, "nowhere.tar")}.`);
  });

  it("pulls with per-layer progress (from the local registry), and reports images already here", async () => {
    const engine = await testEngine("images-pull");
    const ref = `localhost:5000/bct-test/pull-progress:${engine.session.id}`;
    writeFileSync(join(work, "Dockerfile"), `FROM alpine:3.24\nRUN echo ${engine.session.id} > /id\n`);
    try {
      await engine.images.build({ context: work, tags: [ref] });
      await engine.images.push(ref);
      await engine.images.remove(ref);
      const { console, err } = collectingConsole();
      const outcomes = await pullCourseImages(
        engine,
        [
          { ref, usedBy: ["test"] },
          { ref: "alpine:3.24", usedBy: ["test"] },
        ],
        console,
      );
      expect(outcomes.map((outcome) => outcome.result)).toEqual(["pulled", "present"]);
      const log = err.join("");
      expect(log).toMatch(
        new RegExp(`\\[1/2\\] ${ref.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: \\d+/\\d+ layers`),
      );
      expect(log).toContain(`[1/2] ${ref}: pulled`);
      expect(log).toContain("[2/2] alpine:3.24: already here");
    } finally {
      // A pulled image keeps the labels it was built with, so the session cleanup finds it.
      await engine.cleanup();
    }
    expect((await engine.listLabelled(engine.session.id)).images).toEqual([]);
  });
});
