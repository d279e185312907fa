import { ModelPicker, type ModelOption } from './model-picker';

interface ChatToolbarProps {
  models: readonly ModelOption[];
  model: string;
  onModelChange: (id: string) => void;
  onNewChat: () => void;
  /** No conversation to leave yet. */
  empty?: boolean;
}

/** Above the conversation: which model answers, and a fresh start. */
export function ChatToolbar({ models, model, onModelChange, onNewChat, empty }: ChatToolbarProps) {
  return (
    <div class="chat-toolbar">
      <ModelPicker models={models} value={model} onChange={onModelChange} />
      <button type="button" onClick={onNewChat} disabled={empty}>
        New chat
      </button>
    </div>
  );
}
