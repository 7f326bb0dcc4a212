export { answerError, type ClassAnswer, classRequest } from "./class-client.ts";
export {
  type Membership,
  membershipFile,
  readMembership,
  removeMembership,
  saveMembership,
} from "./class-membership.ts";
export { readJsonFile, writeJsonFileAtomically } from "./json-file.ts";
export {
  addToProgress,
  type ProgressEntry,
  type ProgressRecord,
  progressFile,
  readProgress,
} from "./progress-record.ts";
export { AWAY_BACKOFF_MS, outcomesOfCheck, POST_BUDGET_MS, recordRun } from "./record-run.ts";
export {
  columnKey,
  MAX_OUTCOMES_PER_POST,
  type ResultPost,
  type RunOutcome,
  resultPostSchema,
  runOutcomeSchema,
} from "./run-outcome.ts";
export { STATE_FOLDER, stateDir } from "./state-dir.ts";
