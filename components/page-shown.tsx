import { createContext, type ComponentChildren } from 'preact';
import { useContext, useLayoutEffect } from 'preact/hooks';

const PageShownContext = createContext<(() => void) | undefined>(undefined);

/** Tells `onShown` (once per `<Shown />` mounted) that the page shows what its state calls for, not a loading step. */
export function PageShownProvider({ onShown, children }: { onShown: () => void; children: ComponentChildren }) {
  return <PageShownContext.Provider value={onShown}>{children}</PageShownContext.Provider>;
}

/**
 * Placed where a page has settled: signed out, the vault's form, or the chat. Runs in a layout effect, so whoever
 * listens acts on the committed DOM before the browser paints it.
 */
export function Shown() {
  const shown = useContext(PageShownContext);
  useLayoutEffect(() => shown?.(), []);
  return null;
}
