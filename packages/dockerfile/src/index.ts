export {
  canonicalReference,
  effectiveTag,
  type ImageReference,
  normalizeReference,
  parseImageReference,
  unpinnedReason,
} from "./image-reference.ts";
export {
  type Dockerfile,
  finalStage,
  type Heredoc,
  type Instruction,
  type InstructionFlag,
  KNOWN_INSTRUCTIONS,
  type ParseResult,
  parseDockerfile,
  parseExecForm,
  type Stage,
  type SyntaxProblem,
} from "./parse.ts";
