/** A report body exactly as it is (or was) posted, with a caption saying which day it covers. */
export function ReportJson({ body, caption }: { body: string; caption: string }) {
  return (
    <figure>
      <figcaption>{caption}</figcaption>
      <pre class="report-json" tabIndex={0}>
        {body}
      </pre>
    </figure>
  );
}

/** The report's UTC date, for captions; the body itself is shown untouched. */
export function reportDate(body: string): string {
  try {
    const date = (JSON.parse(body) as { date?: unknown }).date;
    return typeof date === 'string' ? date : 'unknown day';
  } catch {
    return 'unknown day';
  }
}
