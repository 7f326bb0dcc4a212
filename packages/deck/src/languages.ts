import { basename, extname } from "node:path";

const byExtension: Record<string, string> = {
  ".go": "go",
  ".cpp": "cpp",
  ".cc": "cpp",
  ".c": "c",
  ".h": "c",
  ".hpp": "cpp",
  ".sh": "sh",
  ".yaml": "yaml",
  ".yml": "yaml",
  ".json": "json",
  ".html": "html",
  ".md": "markdown",
  ".mod": "go",
  ".py": "python",
  ".js": "javascript",
  ".ts": "typescript",
  ".toml": "toml",
  ".txt": "text",
};

/** The fence language that highlights a file the way an editor would. */
export function languageFor(path: string): string {
  const name = basename(path);
  if (/^(.+\.)?(Dockerfile|Containerfile)(\..+)?$/.test(name)) return "dockerfile";
  if (name === "Makefile" || name.endsWith(".mk")) return "makefile";
  if (name === ".dockerignore" || name === ".gitignore") return "text";
  return byExtension[extname(name).toLowerCase()] ?? "text";
}
