/** What the first bytes of a program say about how the kernel would run it. */
export type ExecutableKind =
  | { kind: "elf"; architecture: string; interpreter: string | undefined }
  | { kind: "script"; interpreter: string }
  | { kind: "unknown" };

/** ELF e_machine values, named as Go's GOARCH and Docker's platforms name them. */
const MACHINES: Record<number, string> = {
  3: "386",
  8: "mips",
  20: "ppc",
  21: "ppc64",
  22: "s390x",
  40: "arm",
  50: "ia64",
  62: "amd64",
  183: "arm64",
  243: "riscv64",
  258: "loong64",
};

/** Reads an ELF header (architecture, the dynamic loader it asks for) or a `#!` line. */
export function readExecutable(head: Buffer): ExecutableKind {
  if (head.subarray(0, 2).toString("latin1") === "#!") {
    const line = head.subarray(2, head.indexOf(10) < 0 ? head.length : head.indexOf(10)).toString("utf8");
    const interpreter = line.trim().split(/\s+/)[0];
    return interpreter ? { kind: "script", interpreter } : { kind: "unknown" };
  }
  if (head.length < 52 || head.subarray(0, 4).toString("latin1") !== "\x7fELF") return { kind: "unknown" };
  const is64 = head[4] === 2;
  const little = head[5] === 1;
  const u16 = (at: number) => (little ? head.readUInt16LE(at) : head.readUInt16BE(at));
  const u32 = (at: number) => (little ? head.readUInt32LE(at) : head.readUInt32BE(at));
  const word = (at: number) =>
    is64 ? Number(little ? head.readBigUInt64LE(at) : head.readBigUInt64BE(at)) : u32(at);
  const machine = u16(18);
  const architecture = MACHINES[machine] ?? `ELF machine ${machine}`;
  const headersAt = word(is64 ? 32 : 28);
  const headerSize = u16(is64 ? 54 : 42);
  const headerCount = u16(is64 ? 56 : 44);
  let interpreter: string | undefined;
  for (let index = 0; index < headerCount; index++) {
    const at = headersAt + index * headerSize;
    if (at + headerSize > head.length) break;
    const PT_INTERP = 3;
    if (u32(at) !== PT_INTERP) continue;
    const offset = word(at + (is64 ? 8 : 4));
    const size = word(at + (is64 ? 32 : 16));
    if (offset + size <= head.length) {
      interpreter = head
        .subarray(offset, offset + size)
        .toString("latin1")
        .replace(/\0+$/, "");
    }
  }
  return { kind: "elf", architecture, interpreter };
}
