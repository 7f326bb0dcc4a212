import { columnKey } from "@bct/attendee";
import { loadExamples } from "@bct/example-runner";
import { DEFAULT_EXERCISE_DIR, loadExercise } from "@bct/exercise-checker";

/** One column of the class grid: an example of the deck or a criterion of the exercise, in deck order. */
export interface CourseColumn {
  key: string;
  kind: "example" | "criterion";
  id: string;
  title: string;
  /** The deck section of an example; "exercise" for a criterion. */
  section: string;
}

/** The examples in deck order, then the exercise's criteria in their order. */
export async function courseColumns(
  repoRoot: string,
  exerciseDir = DEFAULT_EXERCISE_DIR,
): Promise<CourseColumn[]> {
  const examples = await loadExamples(repoRoot);
  const exercise = loadExercise(exerciseDir);
  return [
    ...examples.map((example) => ({
      key: columnKey({ kind: "example", id: example.name }),
      kind: "example" as const,
      id: example.name,
      title: example.manifest.title,
      section: example.manifest.section,
    })),
    ...exercise.criteria.map((criterion) => ({
      key: columnKey({ kind: "criterion", id: criterion.id }),
      kind: "criterion" as const,
      id: criterion.id,
      title: criterion.title,
      section: "exercise",
    })),
  ];
}
