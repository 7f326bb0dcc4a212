export { dockerHubRateLimit, parseRateLimitHeader, type RateLimit } from "./docker-hub.ts";
export { type CheckResult, COURSE_PORTS, doctorExitCode, runDoctorChecks } from "./doctor-checks.ts";
export { listCourseImages, loadImages, saveImages } from "./image-commands.ts";
export { findRepoRoot } from "./repo-root.ts";
export { namedCommands } from "./workspace-commands.ts";
