/** CI is detected one way everywhere: CI set to any non-empty value (GitHub sets "true", others "1"). */
export function isCi(env: Record<string, string | undefined> = process.env): boolean {
  return Boolean(env.CI);
}
