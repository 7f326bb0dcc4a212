export { findRepoRoot, isEntryPoint } from "@bct/cli";
