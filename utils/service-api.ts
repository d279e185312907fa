/** Calls to the ExpressAI API that the background makes on the pages' behalf. */
import * as v from 'valibot';
import { authorizedFetch } from './auth/access-token';
import { ExtensionError } from './errors';
import { SERVICE } from './service';

export interface ModelInfo {
  id: string;
}

const MODELS_SCHEMA = v.object({ data: v.array(v.object({ id: v.pipe(v.string(), v.maxLength(200)) })) });

/** `GET /v1/models`: the models this account may use. */
export async function listModels(): Promise<ModelInfo[]> {
  let response: Response;
  try {
    response = await authorizedFetch(`${SERVICE.api}/models`);
  } catch (error) {
    if (error instanceof ExtensionError) throw error;
    throw new ExtensionError('auth_network', 'The ExpressAI service cannot be reached. Check your connection and try again.');
  }
  if (response.status === 401) throw new ExtensionError('session_ended', 'Your session has ended — sign in again.');
  if (!response.ok) throw new ExtensionError('auth_server', `The ExpressAI service could not list models (HTTP ${response.status}).`);
  const parsed = v.safeParse(MODELS_SCHEMA, await response.json().catch(() => null));
  if (!parsed.success) throw new ExtensionError('auth_invalid_response', 'The ExpressAI service sent a model list ExpressAI cannot read.');
  return parsed.output.data.map(({ id }) => ({ id }));
}
