/** The models the account may use (`api.models`) and the one picked, remembered across chats and pages. */
import { useEffect, useState } from 'preact/hooks';
import type { ModelOption } from '@/components/chat/model-picker';
import { ExtensionError } from '@/utils/errors';
import { request } from '@/utils/messaging-client';
import { chatModel } from '@/utils/storage-items';

export interface ModelsController {
  models: ModelOption[];
  /** The model the next question goes to; '' while none is known. */
  model: string;
  choose(id: string): void;
  /** Why the list could not be read, in plain words. */
  error: string | undefined;
  reload(): void;
}

export function useModels(): ModelsController {
  const [models, setModels] = useState<ModelOption[]>([]);
  const [stored, setStored] = useState<string | null>(null);
  const [error, setError] = useState<string | undefined>();
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    void chatModel.getValue().then((value) => live && setStored(value), () => undefined);
    const unwatch = chatModel.watch((value) => setStored(value));
    return () => {
      live = false;
      unwatch();
    };
  }, []);

  useEffect(() => {
    let live = true;
    request('api.models', {}).then(
      ({ models: list }) => {
        if (!live) return;
        setModels(list.map(({ id }) => ({ id })));
        setError(undefined);
      },
      (e: unknown) => live && setError(e instanceof ExtensionError ? e.message : 'The list of models could not be loaded.'),
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  const known = models.some((m) => m.id === stored);
  // Until the list arrives, the remembered model is used as is.
  const model = known || models.length === 0 ? (stored ?? models[0]?.id ?? '') : models[0]!.id;
  const options = stored && !known && models.length === 0 ? [{ id: stored }] : models;

  return {
    models: options,
    model,
    choose(id) {
      setStored(id);
      void chatModel.setValue(id).catch(() => undefined);
    },
    error,
    reload: () => setAttempt((n) => n + 1),
  };
}
