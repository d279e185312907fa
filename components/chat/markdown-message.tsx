import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { StreamingMarkdown, type FrameScheduler } from '@/utils/chat/streaming-markdown';

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
 */
export function MarkdownMessage({ text, streaming, onCopyCode, schedule }: MarkdownMessageProps) {
  const host = useRef<HTMLDivElement>(null);
  const renderer = useRef<StreamingMarkdown | null>(null);
  const [copied, setCopied] = useState(false);

  useLayoutEffect(() => {
    const created = new StreamingMarkdown(host.current!, schedule ? { schedule } : {});
    renderer.current = created;
    return () => created.dispose();
  }, []);
  useLayoutEffect(() => {
    renderer.current?.update(text, streaming);
  }, [text, streaming]);

  const onClick = (event: MouseEvent) => {
    const button = (event.target as Element | null)?.closest?.('button.md-copy');
    if (!button || !host.current?.contains(button)) return;
    const code = button.closest('.md-code')?.querySelector('code')?.textContent ?? '';
    if (onCopyCode) onCopyCode(code);
    else void navigator.clipboard?.writeText(code).catch(() => {});
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  };

  return (
    <>
      <div ref={host} class="md" onClick={onClick} />
      <span class="visually-hidden" role="status">
        {copied ? 'Code copied' : ''}
      </span>
    </>
  );
}
