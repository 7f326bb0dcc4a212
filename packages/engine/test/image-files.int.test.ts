import { describeWithEngine, testEngine } from "@bct/engine/testing";
import { expect, it } from "vitest";

describeWithEngine("the files of an image", () => {
  it("lists every path with its type and link, reads the head of the files asked for, and leaves no container", async () => {
    const engine = await testEngine("image-files");
    const before = await engine.containers.list({ all: true, label: `bct.session=${engine.session.id}` });
    const { entries, heads } = await engine.images.files("alpine:3.24", (path) => path === "/bin/busybox");
    const byPath = new Map(entries.map((entry) => [entry.path, entry]));
    expect(byPath.get("/bin")?.type).toBe("directory");
    expect(byPath.get("/bin/sh")).toMatchObject({ type: "symlink" });
    expect(byPath.get("/bin/sh")?.linkTarget).toMatch(/busybox$/);
    expect(byPath.get("/bin/busybox")).toMatchObject({ type: "file" });
    expect(byPath.get("/bin/busybox")!.size).toBeGreaterThan(100_000);
    expect(heads.get("/bin/busybox")!.subarray(0, 4).toString("latin1")).toBe("\x7fELF");
    expect(heads.get("/bin/busybox")!.length).toBe(64 * 1024);
    expect([...heads.keys()]).toEqual(["/bin/busybox"]);
    const after = await engine.containers.list({ all: true, label: `bct.session=${engine.session.id}` });
    expect(after).toEqual(before);
  }, 60_000);
});
