import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { courseImages } from "./course-images.ts";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

describe("stand-in images", () => {
  it("exist for every upstream image the course uses, so tests never need Docker Hub", async () => {
    const standins = JSON.parse(await readFile(join(REPO_ROOT, "standins/images.json"), "utf8")) as Array<{
      ref: string;
    }>;
    const available = new Set(standins.map((standin) => standin.ref));
    const images = await courseImages(REPO_ROOT);
    expect(images.length).toBeGreaterThan(0);
    const missing = images
      .filter((image) => !available.has(image.ref))
      .map((image) => `${image.ref} (used by ${image.usedBy.join(", ")})`);
    expect(missing, "add a stand-in under standins/ and an entry in standins/images.json").toEqual([]);
  });
});
