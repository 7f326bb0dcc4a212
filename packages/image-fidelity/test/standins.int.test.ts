import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Engine, fetchText, type ImageDetails, isHostPortFree, waitForHttp } from "@bct/engine";
import { describeWithEngine, testEngine } from "@bct/engine/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { imageMode } from "../src/mode.ts";
import {
  loadStandIns,
  SIZE_TOLERANCE,
  type StandIn,
  type StandInCheck,
  type StandInContent,
} from "../src/standins.ts";

// Each stand-in against the upstream facts recorded in standins/images.json: its image config and what
// the course reads from it. With BCT_IMAGES=upstream the same facts are checked on the real images.
const mode = imageMode();
const standIns = loadStandIns();

/** Upstream's own files or a model of them; a real upstream image is its own content. */
function contentOf(details: ImageDetails): StandInContent | "upstream" {
  if (details.labels["bct.standin"] !== "true") return "upstream";
  return details.labels["bct.standin.content"] === "upstream-files" ? "upstream-files" : "model";
}

function envKeys(details: ImageDetails): string[] {
  return details.env.map((entry) => entry.split("=", 1)[0]!).sort();
}

/** "" and "/" both start a process in /: BuildKit writes the one, other builders the other. */
function workdirOf(value: string): string {
  return value === "" ? "/" : value;
}

function expectedEnvKeys(standIn: StandIn): string[] {
  const lacking = mode === "standins" ? new Set(standIn.lacks?.envKeys ?? []) : new Set<string>();
  return standIn.upstream.envKeys.filter((key) => !lacking.has(key)).sort();
}

async function freePort(from: number): Promise<number> {
  for (let port = from; port < from + 500; port++) if (await isHostPortFree(port)) return port;
  throw new Error(`no free port from ${from}`);
}

describeWithEngine(`stand-ins behave like the upstream images (BCT_IMAGES=${mode})`, () => {
  let engine: Engine;
  let workDir: string;
  beforeAll(async () => {
    engine = await testEngine("standin-fidelity");
    workDir = mkdtempSync(join(tmpdir(), "bct-fidelity-"));
  });
  afterAll(async () => {
    await engine.cleanup();
    rmSync(workDir, { recursive: true, force: true });
  });

  async function image(standIn: StandIn): Promise<ImageDetails> {
    if (mode === "upstream") await engine.images.pull(standIn.ref);
    const details = await engine.images.inspect(standIn.ref);
    if (!details) throw new Error(`${standIn.ref} is not on this engine: run bash .ci/build-standins.sh`);
    expect(details.labels["bct.standin"] === "true", `${standIn.ref} is a stand-in`).toBe(
      mode === "standins",
    );
    return details;
  }

  async function runCheck(standIn: StandIn, check: StandInCheck, details: ImageDetails): Promise<void> {
    const mounts = [];
    if (check.files) {
      const dir = mkdtempSync(join(workDir, "files-"));
      for (const [name, text] of Object.entries(check.files)) writeFileSync(join(dir, name), text);
      mounts.push({ type: "bind" as const, source: dir, target: "/work", readOnly: true });
    }
    if (check.http) {
      const port = await freePort(19100);
      const handle = await engine.containers.start({
        image: standIn.ref,
        ports: [{ host: port, container: check.http.port, hostIp: "127.0.0.1" }],
        limits: { memoryBytes: 256 * 1024 * 1024 },
      });
      try {
        const url = `http://127.0.0.1:${port}${check.http.path}`;
        await waitForHttp(url, { timeoutMs: 20_000, status: check.http.status });
        const answer = await fetchText(url);
        expect(answer.status, check.title).toBe(check.http.status);
        if (check.http.bodyContains) expect(answer.body, check.title).toContain(check.http.bodyContains);
        if (check.http.stopExitCode !== undefined) {
          await engine.containers.stop(handle.id, 10);
          expect((await engine.containers.inspect(handle.id))?.exitCode, check.title).toBe(
            check.http.stopExitCode,
          );
        }
      } finally {
        await engine.containers.stop(handle.id, 2);
        await engine.containers.remove(handle.id, true);
      }
      return;
    }
    const result = await engine.containers.run(
      {
        image: standIn.ref,
        command: check.command,
        mounts,
        workdir: check.files ? "/work" : undefined,
        limits: { memoryBytes: 256 * 1024 * 1024 },
      },
      {},
      60_000,
    );
    const what = `${check.title}: ${result.stdout}${result.stderr}`;
    expect(result.exitCode, what).toBe(check.exitCode ?? 0);
    if (check.stdoutContains !== undefined) expect(result.stdout, what).toContain(check.stdoutContains);
    if (check.stdoutLacks !== undefined) expect(result.stdout, what).not.toContain(check.stdoutLacks);
    const made = contentOf(details);
    const matches =
      made === "upstream-files" && check.onUpstreamFiles
        ? check.onUpstreamFiles.stdoutMatches
        : check.stdoutMatches;
    if (matches !== undefined) expect(result.stdout, what).toMatch(new RegExp(matches));
    if (check.stdoutEquals !== undefined) expect(result.stdout, what).toBe(check.stdoutEquals);
    if (check.outputContains !== undefined)
      expect(result.stdout + result.stderr, what).toContain(check.outputContains);
  }

  for (const standIn of standIns) {
    it(`${standIn.ref}: entrypoint, cmd, user, workdir, env keys, ports, stop signal, volumes`, async () => {
      const details = await image(standIn);
      const facts = standIn.upstream;
      expect({
        entrypoint: details.entrypoint,
        cmd: details.cmd,
        user: details.user,
        workdir: workdirOf(details.workdir),
        envKeys: envKeys(details),
        exposedPorts: [...details.exposedPorts].sort(),
        stopSignal: details.stopSignal,
        volumes: [...details.volumes].sort(),
      }).toEqual({
        entrypoint: facts.entrypoint,
        cmd: facts.cmd,
        user: facts.user,
        workdir: workdirOf(facts.workdir),
        envKeys: expectedEnvKeys(standIn),
        exposedPorts: [...facts.exposedPorts].sort(),
        stopSignal: facts.stopSignal,
        volumes: [...facts.volumes].sort(),
      });
    });

    for (const check of standIn.checks)
      it(`${standIn.ref}: ${check.title}`, async (context) => {
        const details = await image(standIn);
        if (check.upstreamFilesOnly && contentOf(details) === "model")
          context.skip(`${standIn.ref} is a model here: ${check.upstreamFilesOnly}`);
        await runCheck(standIn, check, details);
      });

    if (standIn.upstreamFiles && mode === "standins")
      it(`${standIn.ref}: made of ../shared/upstream/${standIn.upstreamFiles}, for ${standIn.platforms.join(", ")}`, async () => {
        const details = await image(standIn);
        expect(details.labels["bct.standin.content"]).toBe("upstream-files");
        expect((await engine.images.platforms(standIn.ref)).sort()).toEqual([...standIn.platforms].sort());
      });

    const upstreamSize = standIn.upstream.uncompressedSize;
    if (upstreamSize)
      it(`${standIn.ref}: size within ${SIZE_TOLERANCE.min}-${SIZE_TOLERANCE.max} × the upstream image's`, async () => {
        const details = await image(standIn);
        const size = await engine.images.size(standIn.ref);
        const ratio = size!.bytes / upstreamSize.bytes;
        expect(
          ratio,
          `${size!.bytes} bytes against ${upstreamSize.bytes} (${upstreamSize.source})`,
        ).toBeGreaterThanOrEqual(SIZE_TOLERANCE.min);
        expect(ratio).toBeLessThanOrEqual(SIZE_TOLERANCE.max);
        if (mode === "standins") expect(details.labels["bct.standin.size-like-upstream"]).toBe("true");
      });
  }
});
