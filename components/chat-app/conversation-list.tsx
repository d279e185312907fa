import { useEffect, useRef, useState } from 'preact/hooks';
import { ConfirmDialog } from '@/components/vault/confirm-dialog';
import { LIST_MAX, LIST_PAGE, type ConversationSummary } from '@/utils/messages';
import type { ChatController } from './use-chat';

interface ConversationListProps {
  chat: ChatController;
  onOpen: (conversationId: string) => void;
}

/** Waits this long after the last keystroke before searching. */
const SEARCH_DEBOUNCE_MS = 150;

interface Shown {
  query: string;
  limit: number;
  items: ConversationSummary[];
  more: boolean;
}

/**
 * The side panel's conversations: search, open, rename, delete (after confirming). Kept current from any page.
 * A page of lines at first and more on "Show more": each line shown is a title decrypted and a row rendered.
 */
export function ConversationList({ chat, onOpen }: ConversationListProps) {
  const [query, setQuery] = useState('');
  /** How many lines are wanted for the query typed. */
  const [limit, setLimit] = useState(LIST_PAGE);
  /** What is shown: the list is busy until it answers what was typed, as many lines as wanted. */
  const [shown, setShown] = useState<Shown | undefined>();
  const [renaming, setRenaming] = useState<string | undefined>();
  const [deleting, setDeleting] = useState<ConversationSummary | undefined>();
  const asked = useRef({ query: '', limit: LIST_PAGE });

  const ask = (q: string, n: number) => {
    asked.current = { query: q, limit: n };
    chat.post({ type: 'list', query: q, limit: n });
  };

  useEffect(
    () =>
      chat.subscribe((event) => {
        if (event.type === 'list' && event.query === asked.current.query && event.limit === asked.current.limit) {
          setShown({ query: event.query, limit: event.limit, items: event.items, more: event.more });
        } else if (event.type === 'conversations_changed') ask(asked.current.query, asked.current.limit);
      }),
    [chat.subscribe],
  );
  const typed = useRef(query);
  typed.current = query;
  const connected = chat.connection === 'connected';
  const live = useRef(connected);
  live.current = connected;
  const wanted = useRef(limit);
  wanted.current = limit;
  // (Re)connected: ask for what the box holds now.
  useEffect(() => {
    if (connected) ask(typed.current.trim(), wanted.current);
  }, [connected]);
  const typing = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(typing.current), []);
  const search = (next: string) => {
    setQuery(next);
    setLimit(LIST_PAGE);
    clearTimeout(typing.current);
    // Timed from the keystroke itself: an effect would start the wait only after the next paint.
    typing.current = setTimeout(() => live.current && ask(next.trim(), LIST_PAGE), next.trim() ? SEARCH_DEBOUNCE_MS : 0);
  };
  const showMore = () => {
    const next = Math.min(LIST_MAX, asked.current.limit + LIST_PAGE);
    setLimit(next);
    ask(asked.current.query, next);
  };
  const items = shown?.items;
  const busy = shown?.query !== query.trim() || shown.limit !== limit;

  const current = chat.page.conversationId;
  return (
    <nav class="chat-list" aria-label="Conversations" aria-busy={busy ? 'true' : 'false'}>
      <input
        type="search"
        class="chat-search"
        aria-label="Search conversations"
        placeholder="Search conversations"
        value={query}
        onInput={(event) => search(event.currentTarget.value)}
      />
      {items === undefined ? (
        <p class="muted chat-list-note">Loading conversations…</p>
      ) : items.length === 0 ? (
        <p class="muted chat-list-note">{query.trim() ? 'No conversation matches.' : 'No conversations yet.'}</p>
      ) : (
        <ul class="chat-list-items">
          {items.map((item) =>
            renaming === item.id ? (
              <li key={item.id}>
                <RenameForm
                  item={item}
                  onDone={(title) => {
                    setRenaming(undefined);
                    if (title && title !== item.title) chat.post({ type: 'rename', conversationId: item.id, title });
                  }}
                />
              </li>
            ) : (
              <li key={item.id} class={item.id === current ? 'is-current' : ''}>
                <button type="button" id={`chat-item-${item.id}`} class="chat-list-open" aria-current={item.id === current ? 'true' : undefined} onClick={() => onOpen(item.id)}>
                  {item.title}
                </button>
                <button type="button" class="chat-list-action" aria-label="Rename" aria-describedby={`chat-item-${item.id}`} onClick={() => setRenaming(item.id)}>
                  Rename
                </button>
                <button type="button" class="chat-list-action" aria-label="Delete" aria-describedby={`chat-item-${item.id}`} onClick={() => setDeleting(item)}>
                  Delete
                </button>
              </li>
            ),
          )}
          {shown?.more && shown.limit < LIST_MAX && (
            <li key="more" class="chat-list-more">
              <button type="button" onClick={showMore}>
                Show more
              </button>
            </li>
          )}
        </ul>
      )}
      <ConfirmDialog
        id="delete-conversation"
        open={deleting !== undefined}
        title="Delete this conversation?"
        confirmLabel="Delete conversation"
        onCancel={() => setDeleting(undefined)}
        onConfirm={async () => {
          if (deleting) chat.post({ type: 'delete', conversationId: deleting.id });
          setDeleting(undefined);
        }}
      >
        <p>“{deleting?.title}” and all its messages will be deleted from this device. This cannot be undone.</p>
      </ConfirmDialog>
    </nav>
  );
}

function RenameForm({ item, onDone }: { item: ConversationSummary; onDone: (title: string | undefined) => void }) {
  const [title, setTitle] = useState(item.title);
  return (
    <form
      class="chat-rename"
      onSubmit={(event) => {
        event.preventDefault();
        onDone(title.trim() || undefined);
      }}
    >
      <input
        aria-label="Conversation name"
        value={title}
        maxLength={200}
        autoFocus
        onInput={(event) => setTitle(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            onDone(undefined);
          }
        }}
      />
      <button type="submit" class="primary">
        Save
      </button>
      <button type="button" onClick={() => onDone(undefined)}>
        Cancel
      </button>
    </form>
  );
}
