export { type Dockerfile, parseDockerfile } from "@bct/dockerfile";
export { type CheckOptions, checkExercise, chooseHint } from "./check.ts";
export { attendeeCommands } from "./criteria/attendee-container.ts";
export { type LintAdvice, lintDockerfile } from "./dockerfile/lint.ts";
export { DEFAULT_EXERCISE_DIR, loadExercise } from "./exercise-file.ts";
export { renderReport } from "./report.ts";
export { type CheckReport, checkReportSchema, type Exercise, exerciseSchema } from "./schema.ts";
export { decodeSolution } from "./solution.ts";
