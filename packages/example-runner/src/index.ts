export { type CourseImage, courseImages } from "./course-images.ts";
export { type LoadedExample, loadExamples, parseManifest } from "./loader.ts";
export {
  checkRecording,
  type ImageProvenance,
  type RecordedStep,
  type Recording,
  readRecording,
} from "./record/recording.ts";
export {
  type Manifest,
  manifestSchema,
  PLACEHOLDER,
  SECTIONS,
  type Section,
  type Step,
  type StepKind,
  type StepOf,
  stepSchema,
  type TextMatcher,
} from "./schema.ts";
export { STEP_KINDS, stepCommand } from "./steps/index.ts";
export { exampleTranscript, type TranscriptEntry } from "./transcript.ts";
