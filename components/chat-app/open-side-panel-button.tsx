import { useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { openSidePanel } from '@/utils/chat-engine/side-panel-command';

/** "Open side panel" for the popup: the same chat, beside the page. */
export function OpenSidePanelButton() {
  // The window is looked up in advance: the click must open the panel before any `await`, or the browser refuses.
  const windowId = useRef<number | undefined>();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    Promise.resolve()
      .then(() => browser.windows.getCurrent())
      .then((w) => (windowId.current = w?.id), () => undefined);
  }, []);
  const open = () => {
    openSidePanel(windowId.current).then(
      (opened) => setFailed(!opened),
      () => setFailed(true),
    );
  };
  return (
    <>
      <button type="button" onClick={open}>
        Open side panel
      </button>
      {failed && (
        <span class="visually-hidden" role="status">
          The side panel could not be opened.
        </span>
      )}
    </>
  );
}
