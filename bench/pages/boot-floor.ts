/**
 * Bench-only page, the second floor for open time: what any page pays that
 * must ask storage before its message box may be used. Its one script is the
 * chat pages' own opening read (utils/page-boot.ts); the box, already in the
 * HTML, is enabled when the read answered. The popup and the side panel add
 * only their render to this.
 */
import { pageBoot, startPageBoot } from '@/utils/page-boot';

startPageBoot();
void pageBoot()?.then(() => {
  document.querySelector('textarea')!.disabled = false;
});
