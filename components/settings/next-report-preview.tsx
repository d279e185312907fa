import { useState } from 'preact/hooks';
import type { DiagnosticsView } from '@/utils/diagnostics/diagnostics-control';
import { ReportJson, reportDate } from './report-json';

/** "Preview the next report": the exact bodies the next send will post, byte for byte. */
export function NextReportPreview({ view }: { view: DiagnosticsView }) {
  const [open, setOpen] = useState(false);
  const { enabled, pending } = view;
  return (
    <div>
      <div class="settings-actions">
        <button type="button" aria-expanded={open} aria-controls="next-report" onClick={() => setOpen(!open)}>
          Preview the next report
        </button>
      </div>
      <div id="next-report" hidden={!open}>
        {!enabled && <p class="muted">Diagnostics are off: nothing is recorded and nothing will be sent.</p>}
        {enabled && pending.length === 0 && <p class="muted">Nothing has been recorded since the last report, so there is nothing to send.</p>}
        {enabled && pending.length > 0 && (
          <>
            <p class="muted">
              {pending.length === 1 ? 'This is exactly what will be sent:' : `These ${pending.length} reports are exactly what will be sent, oldest first:`}
            </p>
            <ul class="report-list">
              {pending.map((body) => (
                <li key={body}>
                  <ReportJson body={body} caption={`Report for ${reportDate(body)} (UTC)`} />
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </div>
  );
}
