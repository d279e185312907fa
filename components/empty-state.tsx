import type { ComponentChildren } from 'preact';

interface EmptyStateProps {
  heading: string;
  children?: ComponentChildren;
}

/** A centred message for a view with nothing in it yet. */
export function EmptyState({ heading, children }: EmptyStateProps) {
  return (
    <div class="empty-state" role="status">
      <h2>{heading}</h2>
      {children}
    </div>
  );
}
