import type { DiagnosticsView } from '@/utils/diagnostics/diagnostics-control';
import { ReportJson, reportDate } from './report-json';

/** "Sent reports": what left this device in the last 7 days, exactly as sent, newest first. */
export function SentReports({ view, onClear }: { view: DiagnosticsView; onClear: () => void }) {
  const sent = [...view.sent].reverse();
  return (
    <div>
      <h3 id="sent-reports-heading" class="settings-subheading">
        Sent reports
      </h3>
      {sent.length === 0 ? (
        <p class="muted">No report was sent in the last 7 days.</p>
      ) : (
        <ul class="report-list" aria-labelledby="sent-reports-heading">
          {sent.map(({ sentOn, body }, i) => (
            <li key={`${sentOn}-${i}`}>
              <ReportJson body={body} caption={`Sent on ${sentOn} (UTC), report for ${reportDate(body)}`} />
            </li>
          ))}
        </ul>
      )}
      <div class="settings-actions">
        <button type="button" onClick={onClear} disabled={sent.length === 0}>
          Clear sent reports
        </button>
      </div>
    </div>
  );
}
