import { describe, expect, it } from "vitest";
import { demuxBuffer } from "./containers.ts";

function frame(kind: number, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = kind;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe("demuxBuffer", () => {
  it("splits stdout and stderr frames", () => {
    const buffer = Buffer.concat([frame(1, "out1\n"), frame(2, "err\n"), frame(1, "out2\n")]);
    expect(demuxBuffer(buffer)).toEqual({ stdout: "out1\nout2\n", stderr: "err\n" });
  });

  it("passes a TTY log (no frames) through as stdout", () => {
    expect(demuxBuffer(Buffer.from("plain text\n"))).toEqual({ stdout: "plain text\n", stderr: "" });
  });
});
