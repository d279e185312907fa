import { EraseEverything } from './erase-everything';
import { ExportData } from './export-data';

/** The "Your data" card: take a copy of everything, or erase it all. */
export function YourDataSection() {
  return (
    <section class="card" aria-labelledby="your-data-heading">
      <h2 id="your-data-heading">Your data</h2>
      <ExportData />
      <EraseEverything />
    </section>
  );
}
