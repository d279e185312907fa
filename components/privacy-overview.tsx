/** The plain-language privacy promises, shown on the welcome page and in Settings. */
export function PrivacyOverview() {
  return (
    <section class="card" aria-labelledby="privacy-heading">
      <h2 id="privacy-heading">Your privacy, in plain words</h2>
      <ul class="plain">
        <li>No activity logs and no connection logs: we do not record what you ask or when you connect.</li>
        <li>Your chat history is encrypted on this device with your master password. We cannot read it.</li>
        <li>Only what the extension strictly needs is stored, and Settings shows every item.</li>
        <li>Nothing is sent that you did not ask for. Anonymous diagnostics are off unless you switch them on.</li>
      </ul>
    </section>
  );
}
