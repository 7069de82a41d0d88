import { z } from 'zod';
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { BROADCAST_RECIPIENTS_MAX } from '../../../contracts/broadcast-schemas.ts';
import { idempotencyKeySchema, messagePriorities } from '../../../contracts/message-schemas.ts';
import { newIdempotencyKey } from '../../lib/idempotency-key.ts';

/**
 * The message being written, kept on this device (localStorage) so that a reload, a failed send
 * or a server error never loses it. Its text and recipients are cleared only when the server accepted the message.
 * Also here: the sender last used per connection, and the Idempotency-Key of the send being
 * attempted. Nothing in it comes from the server: connections and people stay in React Query,
 * and ids that no longer match them are simply not shown as chosen (see compose-validation.ts).
 */

export type MessagePriority = (typeof messagePriorities)[number];

export type ComposeDraft = {
  connectionId: string | null;
  /** Chosen drivers; ignored while `allDrivers` is on. */
  recipientIds: string[];
  allDrivers: boolean;
  text: string;
  priority: MessagePriority;
  /** Ask the TSP for an immediate answer; only for a single recipient. */
  sync: boolean;
  /** A Catena message id of the recipient's conversation; only for a single recipient. */
  replyToMessageId: string | null;
};

/**
 * The key of one intent to send, with the request it was made for: the same request again (a
 * retry after a network error, a double click) reuses it; a changed draft is a new intent.
 */
type SendIntent = { key: string; fingerprint: string };

type ComposeActions = {
  chooseConnection: (connectionId: string) => void;
  chooseSender: (connectionId: string, senderId: string) => void;
  setRecipientIds: (recipientIds: string[]) => void;
  setAllDrivers: (allDrivers: boolean) => void;
  setText: (text: string) => void;
  setPriority: (priority: MessagePriority) => void;
  setSync: (sync: boolean) => void;
  setReplyToMessageId: (messageId: string | null) => void;
  /** The Idempotency-Key for this request: the current intent's when it is the same request. */
  idempotencyKeyFor: (fingerprint: string) => string;
  /**
   * The server accepted the message (200/202): the text and the recipients are done with (the next
   * driver picked is a new message, not a two-driver broadcast); connection, sender and how stay.
   */
  accepted: () => void;
  /** The server made an operation of it that failed (sync 502): keep the text, but a retry is a new message. */
  intentSpent: () => void;
};

type ComposeState = {
  draft: ComposeDraft;
  /** Sender last used, by connection id. */
  senders: Record<string, string>;
  intent: SendIntent | null;
  actions: ComposeActions;
};

export const emptyDraft: ComposeDraft = {
  connectionId: null,
  recipientIds: [],
  allDrivers: false,
  text: '',
  priority: 'medium',
  sync: false,
  replyToMessageId: null,
};

export const COMPOSE_STORAGE_KEY = 'fleet-ops-console:compose-draft';

/** localStorage is outside our control: whatever does not fit falls back to the empty draft. */
const persistedSchema = z.object({
  draft: z
    .object({
      connectionId: z.string().nullable().catch(null),
      recipientIds: z.array(z.string()).max(BROADCAST_RECIPIENTS_MAX).catch([]),
      allDrivers: z.boolean().catch(false),
      text: z.string().catch(''),
      priority: z.enum(messagePriorities).catch('medium'),
      sync: z.boolean().catch(false),
      replyToMessageId: z.string().nullable().catch(null),
    })
    .catch(emptyDraft),
  senders: z.record(z.string(), z.string()).catch({}),
  intent: z.object({ key: idempotencyKeySchema, fingerprint: z.string() }).nullable().catch(null),
});

export const useComposeStore = create<ComposeState>()(
  persist(
    (set, get) => {
      const edit = (change: Partial<ComposeDraft>) => set((state) => ({ draft: { ...state.draft, ...change } }));
      return {
        draft: emptyDraft,
        senders: {},
        intent: null,
        actions: {
          chooseConnection: (connectionId) => {
            if (get().draft.connectionId === connectionId) return;
            // Drivers and conversations belong to a connection; the text and the priority do not.
            edit({ connectionId, recipientIds: [], allDrivers: false, replyToMessageId: null });
          },
          chooseSender: (connectionId, senderId) => set((state) => ({ senders: { ...state.senders, [connectionId]: senderId } })),
          // A reply belongs to one driver's conversation: other recipients, no reply.
          setRecipientIds: (recipientIds) => edit({ recipientIds, replyToMessageId: null }),
          setAllDrivers: (allDrivers) => edit({ allDrivers, replyToMessageId: null }),
          setText: (text) => edit({ text }),
          setPriority: (priority) => edit({ priority }),
          setSync: (sync) => edit({ sync }),
          setReplyToMessageId: (replyToMessageId) => edit({ replyToMessageId }),
          idempotencyKeyFor: (fingerprint) => {
            const current = get().intent;
            if (current?.fingerprint === fingerprint) return current.key;
            const key = newIdempotencyKey();
            set({ intent: { key, fingerprint } });
            return key;
          },
          accepted: () =>
            set((state) => ({
              draft: { ...state.draft, text: '', replyToMessageId: null, recipientIds: [], allDrivers: false },
              intent: null,
            })),
          intentSpent: () => set({ intent: null }),
        },
      };
    },
    {
      name: COMPOSE_STORAGE_KEY,
      version: 1,
      storage: createJSONStorage(() => localStorage),
      partialize: ({ draft, senders, intent }) => ({ draft, senders, intent }),
      merge: (persisted, current) => {
        const saved = persistedSchema.safeParse(persisted);
        return saved.success ? { ...current, ...saved.data } : current;
      },
    },
  ),
);

export const useComposeDraft = () => useComposeStore((state) => state.draft);
export const useLastSenders = () => useComposeStore((state) => state.senders);
export const useComposeActions = () => useComposeStore((state) => state.actions);
