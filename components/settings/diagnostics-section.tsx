import { NextReportPreview } from './next-report-preview';
import { SentReports } from './sent-reports';
import { SwitchField } from './switch-field';
import { useDiagnostics } from './use-diagnostics';

/** The "Diagnostics" card: the opt-in switch, what a report holds, the next report, and the sent ones. */
export function DiagnosticsSection() {
  const { view, pending, error, toggle, clearSent } = useDiagnostics();
  const checked = pending ?? view?.enabled ?? false;
  return (
    <section class="card" aria-labelledby="diagnostics-heading">
      <h2 id="diagnostics-heading">Diagnostics</h2>
      <SwitchField
        id="diagnostics-switch"
        label="Send anonymous diagnostics"
        checked={checked}
        disabled={!view}
        busy={pending !== undefined}
        onToggle={toggle}
        description={
          <>
            <p>
              Off unless you switch it on. At most once a day ExpressAI sends: its version, your browser and its major version, the date,
              how often connections failed (by kind), how long first answers took (in rough ranges), crash locations inside ExpressAI, and
              megabytes transferred.
            </p>
            <p>Never your account, prompts, answers, pages you visit, or anything that could tell reports from you apart.</p>
          </>
        }
      />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {view && (
        <>
          <NextReportPreview view={view} />
          <SentReports view={view} onClear={clearSent} />
        </>
      )}
    </section>
  );
}
