import type { ComponentChildren } from 'preact';
import { Logo } from './logo';

interface AppShellProps {
  /** Heading text beside the logo, e.g. "ExpressAI" or "Settings". */
  title: string;
  /** Controls at the right of the header. */
  actions?: ComponentChildren;
  /** Extra class on the outer element, e.g. `popup-size`. */
  class?: string;
  children: ComponentChildren;
}

/** The frame every ExpressAI page shares: a header with the logo and title, then the page. */
export function AppShell({ title, actions, class: extra, children }: AppShellProps) {
  return (
    <div class={`shell ${extra ?? ''}`}>
      <header class="shell-header">
        <Logo />
        <h1>{title}</h1>
        {actions}
      </header>
      <main class="shell-main">{children}</main>
    </div>
  );
}
