/** Labels put on every container, network, volume and image the kit creates. */
export const LABEL = {
  managed: "bct.managed",
  session: "bct.session",
  owner: "bct.owner",
} as const;

export interface SessionIdentity {
  /** Unique per run of a tool; cleanup removes exactly what carries it. */
  id: string;
  /** What the resources belong to, e.g. "example:ports" or "exercise:webserver-volume-access". */
  owner: string;
}

export function labelsFor(session: SessionIdentity): Record<string, string> {
  return {
    [LABEL.managed]: "true",
    [LABEL.session]: session.id,
    [LABEL.owner]: session.owner,
  };
}

export function isManaged(labels: Record<string, string> | null | undefined): boolean {
  return labels?.[LABEL.managed] === "true";
}

/** `docker ... --label` flags that mark resources created by a shell step (make, buildx) as ours. */
export function labelFlags(session: SessionIdentity): string {
  return Object.entries(labelsFor(session))
    .map(([key, value]) => `--label ${key}=${value}`)
    .join(" ");
}

export function sessionFilter(sessionId: string): { label: string[] } {
  return { label: [`${LABEL.session}=${sessionId}`] };
}

export const managedFilter: { label: string[] } = { label: [`${LABEL.managed}=true`] };
