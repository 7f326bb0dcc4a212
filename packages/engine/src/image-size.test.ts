import { expect, it } from "vitest";
import { imageSizeShellExpression, sumOfLayers } from "./image-size.ts";

it("adds up the layers, empty ones included", () => {
  expect(sumOfLayers([])).toBe(0);
  expect(
    sumOfLayers([
      { createdBy: "CMD", size: 0 },
      { createdBy: "RUN make", size: 1500 },
      { createdBy: "ADD rootfs", size: 8_000_000 },
    ]),
  ).toBe(8_001_500);
});

it("writes the same measure for bash with the reference as given", () => {
  expect(imageSizeShellExpression("'my image'")).toContain("docker image history --human=false");
  expect(imageSizeShellExpression("'my image'")).toContain(" 'my image' |");
});
