/** Reads a Server-Sent Events answer to the end (or to the break), with eventsource-parser. */
import { createParser } from 'eventsource-parser';

export interface ReadStream {
  /** Every event's data, in order, `[DONE]` included. */
  data: string[];
  /** The raw text received, for checking line format. */
  raw: string;
  /** Milliseconds since the request started at which each event arrived. */
  arrivals: number[];
  /** Set when the connection broke before the body ended. */
  error?: unknown;
}

export async function readStream(response: Response, startedAt = performance.now()): Promise<ReadStream> {
  const out: ReadStream = { data: [], raw: '', arrivals: [] };
  const parser = createParser({
    onEvent: (event) => {
      out.data.push(event.data);
      out.arrivals.push(performance.now() - startedAt);
    },
  });
  const decoder = new TextDecoder();
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      const text = decoder.decode(chunk, { stream: true });
      out.raw += text;
      parser.feed(text);
    }
  } catch (error) {
    out.error = error;
  }
  return out;
}

/** The answer text: the concatenated `delta.content` of every well-formed chunk. */
export function contentOf(stream: ReadStream): string {
  let text = '';
  for (const data of stream.data) {
    if (data === '[DONE]') continue;
    try {
      const chunk = JSON.parse(data) as { choices?: { delta?: { content?: string } }[] };
      text += chunk.choices?.[0]?.delta?.content ?? '';
    } catch {
      // malformed lines are skipped, as a tolerant client would
    }
  }
  return text;
}
