import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { Presenter } from "./presenter.ts";

describe("Presenter (--step)", () => {
  it("says once that it will not wait when stdin is not a terminal", async () => {
    const said: string[] = [];
    const presenter = new Presenter(Object.assign(new PassThrough(), { isTTY: false }), (text) =>
      said.push(text),
    );
    await presenter.beforeStep("step 1/2");
    await presenter.beforeStep("step 2/2");
    expect(said).toEqual(["--step: stdin is not a terminal, so the steps run without waiting for Enter."]);
  });

  it("waits for Enter on a terminal", async () => {
    const input = Object.assign(new PassThrough(), { isTTY: true });
    const said: string[] = [];
    const presenter = new Presenter(input, (text) => said.push(text));
    let done = false;
    const waiting = presenter.beforeStep("step 1/1: Run it").then(() => {
      done = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(done).toBe(false);
    input.write("\n");
    await waiting;
    presenter.close();
    expect(said).toEqual(["Press Enter to run step 1/1: Run it (Ctrl-C stops and cleans up)"]);
  });
});
