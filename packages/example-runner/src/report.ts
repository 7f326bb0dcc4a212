import type { CleanupReport } from "@bct/engine";

export interface StepReport {
  index: number;
  kind: string;
  title: string;
  command: string;
  ok: boolean;
  durationMs: number;
  failures: string[];
  notes: string[];
}

export interface ExampleReport {
  name: string;
  title: string;
  ok: boolean;
  /** 0 ok, 1 an expectation unmet, 2 the tool or engine failed, 130 interrupted. */
  exitCode: number;
  durationMs: number;
  sessionId: string | undefined;
  steps: StepReport[];
  /** Steps not run because an earlier one failed. */
  skipped: number;
  error?: { code: string; message: string; hint?: string };
  /** With --keep: what was left for exploration. */
  leftBehind?: CleanupReport;
  /** With --keep: the Compose projects left running (their resources are in leftBehind too). */
  keptProjects?: string[];
}

export function formatDuration(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`;
}
