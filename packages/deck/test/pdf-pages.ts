import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** Pages of a PDF: pdfinfo (poppler-utils) when installed, else the page objects in the file. */
export function pdfPageCount(file: string): number {
  try {
    const info = execFileSync("pdfinfo", [file], { encoding: "utf8" });
    const pages = /^Pages:\s+(\d+)/m.exec(info)?.[1];
    if (pages) return Number(pages);
  } catch {
    // pdfinfo missing: fall through to counting page objects.
  }
  return readFileSync(file, "latin1").match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
}
