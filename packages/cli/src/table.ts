/** Rows of text as aligned columns (the header first when given), trailing spaces trimmed. */
export function formatTable(
  header: readonly string[] | undefined,
  rows: readonly string[][],
  gap = "  ",
): string[] {
  const all = header ? [header, ...rows] : rows;
  const columns = Math.max(0, ...all.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, column) =>
    Math.max(0, ...all.map((row) => (row[column] ?? "").length)),
  );
  return all.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join(gap)
      .trimEnd(),
  );
}
