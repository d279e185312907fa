import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { FrameScheduler } from '@/utils/chat/frame-scheduler';
import type { StreamingMarkdown } from '@/utils/chat/streaming-markdown';

type Renderer = typeof import('@/utils/chat/streaming-markdown');

let loaded: Renderer | undefined;
let loading: Promise<Renderer> | undefined;

/**
 * Loads the markdown renderer (markdown-it), once per page. Pages open without
 * it, so the message box shows sooner; call this when an answer is on its way.
 */
export function loadMarkdownRenderer(): Promise<Renderer> {
  loading ??= import('@/utils/chat/streaming-markdown').then(
    (module) => (loaded = module),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

interface MarkdownMessageProps {
  /** The answer so far. While `streaming` it must only grow. */
  text: string;
  streaming: boolean;
  /** Copies a code block's text; defaults to the clipboard. */
  onCopyCode?: (code: string) => void;
  /** Defaults to animation frames; tests pass a synchronous one. */
  schedule?: FrameScheduler;
}

/**
 * An answer rendered as safe markdown, incrementally: finished blocks are
 * added to the DOM once, only the open end is redrawn, at most once a frame.
 * Preact renders the host element only; its content belongs to the renderer.
 * Until the renderer has loaded, the text shows as plain text.
 */
export function MarkdownMessage({ text, streaming, onCopyCode, schedule }: MarkdownMessageProps) {
  const host = useRef<HTMLDivElement>(null);
  const renderer = useRef<StreamingMarkdown | null>(null);
  const [module, setModule] = useState(loaded);
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    if (module) return;
    let live = true;
    // A renderer that cannot load leaves the plain text: still the whole answer, never markup.
    loadMarkdownRenderer().then((m) => live && setModule(m), () => undefined);
    return () => {
      live = false;
    };
  }, []);
  useLayoutEffect(() => {
    if (!module) return;
    const created = new module.StreamingMarkdown(host.current!, schedule ? { schedule } : {});
    renderer.current = created;
    return () => created.dispose();
  }, [module]);
  useLayoutEffect(() => {
    renderer.current?.update(text, streaming);
  }, [text, streaming, module]);

  const onClick = (event: MouseEvent) => {
    const button = (event.target as Element | null)?.closest?.('button.md-copy');
    if (!button || !host.current?.contains(button)) return;
    const code = button.closest('.md-code')?.querySelector('code')?.textContent ?? '';
    if (onCopyCode) onCopyCode(code);
    else void navigator.clipboard?.writeText(code).catch(() => {});
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  };

  if (!module) return <div class="md md-plain">{text}</div>;
  return (
    <>
      <div ref={host} class="md" onClick={onClick} />
      <span class="visually-hidden" role="status">
        {copied ? 'Code copied' : ''}
      </span>
    </>
  );
}
