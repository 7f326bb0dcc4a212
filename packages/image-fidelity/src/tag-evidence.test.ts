import { expect, it } from "vitest";
import { evidenceNamesTag, loadStandIns } from "./standins.ts";
import { courseImageRefs } from "./upstream.ts";

// Every tag the course pins is shown to exist by an upstream file at a commit (official-images' library
// files, or the image's own repository), in lines copied from that file.
const standIns = loadStandIns();

it("every course image has upstream evidence for its pinned tag", async () => {
  const evidenced = new Map(standIns.map((standIn) => [standIn.ref, standIn.tagEvidence]));
  for (const ref of await courseImageRefs()) {
    const evidence = evidenced.get(ref);
    expect(evidence, `${ref}: no tagEvidence in standins/images.json`).toBeDefined();
    expect(evidence!.source, ref).toMatch(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/blob\/[0-9a-f]{40}\//);
    expect(evidenceNamesTag(ref, evidence!.lines), `${ref}: ${evidence!.lines.join(" | ")}`).toBe(true);
  }
});

it("a tag counts only as a whole word of the evidence", () => {
  expect(evidenceNamesTag("alpine:3.24", ["Tags: 3.24.1, 3.24, 3, latest"])).toBe(true);
  expect(evidenceNamesTag("alpine:3.2", ["Tags: 3.24.1, 3.24, 3, latest"])).toBe(false);
  expect(evidenceNamesTag("alpine:3.2", ["Tags: 3.2x"])).toBe(false);
  expect(evidenceNamesTag("curlimages/curl:8.21.0", ["## [8.21.0] - 2026-06-24"])).toBe(true);
  expect(evidenceNamesTag("curlimages/curl:8.23.0", ["## [8.21.0] - 2026-06-24"])).toBe(false);
});
