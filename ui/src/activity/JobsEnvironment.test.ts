import { screen, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { Job } from "../bindings";
import { fixture } from "../test/fixture";
import { renderReadyApp } from "../test/render-app";

async function openJobs(jobs: Job[]) {
  const rendered = await renderReadyApp(({ commands }) => {
    commands.listJobs.mockResolvedValue(jobs);
  });
  await rendered.user.click(screen.getByTestId("nav-activity"));
  await rendered.user.click(
    within(screen.getByTestId("activity-filter")).getByRole("radio", { name: "Jobs" }),
  );
  return screen.findAllByTestId("job-row");
}

describe("Activity page: Sandbox and Live jobs", () => {
  it("tags each Sandbox job, and no Live one", async () => {
    // The recorded jobs are all Sandbox; after going live the outbox holds both.
    const recorded = fixture("jobs");
    expect(recorded.every((job) => job.environment === "sandbox")).toBe(true);
    const [live, ...sandbox] = recorded as [Job, ...Job[]];
    const rows = await openJobs([{ ...live, environment: "live" }, ...sandbox]);

    expect(rows).toHaveLength(recorded.length);
    const [liveRow, ...sandboxRows] = rows as [HTMLElement, ...HTMLElement[]];
    expect(liveRow).toHaveAttribute("data-job-id", String(live.id));
    expect(within(liveRow).queryByTestId("job-sandbox-tag")).not.toBeInTheDocument();
    for (const row of sandboxRows) {
      expect(within(row).getByTestId("job-sandbox-tag")).toHaveTextContent("Sandbox");
    }
    // The tag goes with what the job does, so it reads "Authorize payment Sandbox".
    const kind = within(sandboxRows[0] as HTMLElement).getByTestId("job-kind");
    expect(within(kind).getByTestId("job-sandbox-tag")).toBeVisible();
  });
});
