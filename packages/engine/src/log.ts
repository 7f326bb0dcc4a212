/** Where the engine package says "Doing X…" / "Did X"; silent unless DEBUG names "bct". */
export type EngineLog = (line: string) => void;

export function defaultEngineLog(env: Record<string, string | undefined>): EngineLog {
  const debug = env.DEBUG ?? "";
  if (!/(^|,)\s*bct(:engine|:\*)?\s*(,|$)|(^|,)\*(,|$)/.test(debug)) return () => {};
  return (line) => process.stderr.write(`[ DEBUG ] engine: ${line}\n`);
}
