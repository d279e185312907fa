/**
 * The ExpressAI mark, drawn the way scripts/make-icons.ts draws the toolbar
 * icons (a white bubble on a red rounded square), as inline SVG: an image
 * file would be one more extension-package request, and one more layout
 * when it arrives, while the page opens.
 */
export function Logo() {
  return (
    <svg class="logo" viewBox="-1 -1 2 2" aria-hidden="true" focusable="false">
      <rect x="-1" y="-1" width="2" height="2" rx="0.42" fill="#c8102e" />
      <ellipse cx="0" cy="-0.08" rx="0.667" ry="0.522" fill="#fff" />
    </svg>
  );
}
