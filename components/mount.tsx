import { render, type ComponentChild } from 'preact';
import './theme.css';

/** Renders a page's root component into its `#app` element. */
export function mount(app: ComponentChild): void {
  const root = document.getElementById('app');
  if (!root) throw new Error('page is missing its #app element');
  render(app, root);
}
