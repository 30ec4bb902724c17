// The live event stream: the Server-Sent Events of GET /api/events, opened again when the server refused it, and its
// state (connecting, live, reconnecting, offline) shown in the top bar. What the events mean is the dashboard's.

/** The named events of the stream besides `stats`. */
const CHAT_EVENTS = ['join', 'leave', 'nick', 'banner', 'kick', 'announce', 'message', 'action', 'topic', 'roomjoin', 'roompart'];

/** How long to wait before opening the stream again after the server refused it. */
const RETRY_DELAY_MS = 5000;

const LIVE_STATES = {
    connecting: 'Connecting…',
    live: 'Live',
    reconnecting: 'Reconnecting…',
    offline: 'Offline',
};

export class EventStream {
    #api;
    #liveStatus;
    #on;
    /** Changes on every start() and stop(), so a refusal answered for an old session is dropped. */
    #generation = 0;
    #events = null;
    /** Whether the open stream carries chat lines. */
    #eventsHaveChat = false;
    #retryTimer = 0;
    #wasLive = false;

    /**
     * Shows the stream's state in `liveStatus`. `on` says what to do: `stats(stats)` and `chatEvent(kind, event)` take
     * the events; `resumed()` runs when the stream is live again after a break (events may have been missed);
     * `lost(wasLive)` when it breaks, saying whether it was live until then; `sessionEnded()` when the server refused
     * it because the session has ended. `wantsChatLines()` tells whether the stream should carry chat lines.
     */
    constructor(api, liveStatus, on) {
        this.#api = api;
        this.#liveStatus = liveStatus;
        this.#on = on;
    }

    /** The state shown: one of connecting, live, reconnecting, offline. */
    get state() {
        return this.#liveStatus.dataset.state;
    }

    /** Opens the stream for a session just signed in. */
    start() {
        this.#generation++;
        this.#wasLive = false;
        this.#open();
    }

    /** Closes the stream until the next start() (on sign-out). */
    stop() {
        this.#generation++;
        this.#close();
    }

    /** Opens the stream again when it should now carry chat lines, or no longer should: it is chosen when it opens. */
    followChatLines() {
        if (this.#events && this.#on.wantsChatLines() !== this.#eventsHaveChat) {
            this.#open();
        }
    }

    showState(state, title = '') {
        this.#liveStatus.dataset.state = state;
        this.#liveStatus.textContent = LIVE_STATES[state];
        this.#liveStatus.title = title;
    }

    #open() {
        this.#close();
        this.#eventsHaveChat = this.#on.wantsChatLines();
        const source = new EventSource(this.#api.eventsUrl(this.#eventsHaveChat));
        this.#events = source;
        this.showState(this.#wasLive ? 'reconnecting' : 'connecting');

        // The server sends stats first, once it is subscribed: from then on no event is missed.
        let receiving = false;
        source.addEventListener('stats', (message) => {
            if (source !== this.#events) {
                return;
            }
            if (!receiving) {
                receiving = true;
                this.#onStreamStarted();
            }
            this.#on.stats(JSON.parse(message.data));
        });
        for (const kind of CHAT_EVENTS) {
            source.addEventListener(kind, (message) => this.#on.chatEvent(kind, JSON.parse(message.data)));
        }
        source.addEventListener('error', () => {
            receiving = false;
            this.#onStreamError(source);
        });
    }

    #onStreamStarted() {
        if (this.#wasLive) {
            this.#on.resumed();
        }
        this.#wasLive = true;
        this.showState('live');
    }

    #close() {
        clearTimeout(this.#retryTimer);
        if (this.#events) {
            this.#events.close();
            this.#events = null;
        }
    }

    async #onStreamError(source) {
        if (source !== this.#events) {
            return;
        }
        this.#on.lost(this.state === 'live');
        if (source.readyState === EventSource.CONNECTING) {
            this.showState('reconnecting'); // The browser retries by itself.
            return;
        }

        // Closed for good: the server refused the stream, perhaps because the session has ended.
        this.#events = null;
        this.showState('offline');
        const mine = this.#generation;
        try {
            const session = await this.#api.session();
            if (mine === this.#generation && !session.authenticated) {
                this.#on.sessionEnded();
                return;
            }
        } catch {
            // The server is down; try again later.
        }
        if (mine === this.#generation) {
            this.#retryTimer = setTimeout(() => this.#open(), RETRY_DELAY_MS);
        }
    }
}
