// The CatChat REST API, as the dashboard uses it. The session lives in an HttpOnly cookie the browser
// sends by itself; every state-changing request also carries the anti-forgery token from GET /api/session.

/** An answer other than 2xx; the message is the problem's detail when the server gave one. */
export class ApiError extends Error {
    constructor(status, problem, retryAfterSeconds) {
        super(problem?.detail || problem?.title || `The server answered with status ${status}.`);
        this.name = 'ApiError';
        this.status = status;
        this.title = problem?.title ?? '';
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** True when the session is missing or has ended. */
    get isUnauthorized() {
        return this.status === 401;
    }
}

export class Api {
    #csrfToken = '';

    /** Whether this browser is signed in; also picks up the anti-forgery token for later writes. */
    async session() {
        const session = await this.#send('GET', 'api/session');
        this.#csrfToken = session?.csrfToken ?? '';
        return session;
    }

    /** Signs in; afterwards call session() again, since the anti-forgery token is bound to the user. */
    signIn(token) {
        return this.#send('POST', 'api/session', { token });
    }

    signOut() {
        return this.#send('DELETE', 'api/session');
    }

    users() {
        return this.#send('GET', 'api/users');
    }

    /** `{clustered, node, backplane, users, nodes: [{node, id, users, self, lastSeen}], counters}`. */
    cluster() {
        return this.#send('GET', 'api/cluster');
    }

    banner() {
        return this.#send('GET', 'api/banner');
    }

    setBanner(banner) {
        return this.#send('POST', 'api/banner', { banner });
    }

    kick(nick, reason) {
        return this.#send('POST', `api/users/${encodeURIComponent(nick)}/kick`, reason ? { reason } : {});
    }

    /** `{rooms: [{name, members}]}`, the default room first. */
    rooms() {
        return this.#send('GET', 'api/rooms');
    }

    /** `{name, topic, members: [nick]}`; a 404 when nobody is in the room. */
    room(name) {
        return this.#send('GET', `api/rooms/${encodeURIComponent(name)}`);
    }

    setTopic(name, topic) {
        return this.#send('PUT', `api/rooms/${encodeURIComponent(name)}/topic`, { topic });
    }

    announce(message) {
        return this.#send('POST', 'api/announce', { message });
    }

    /**
     * A page of stored chat history, newest first: `{lines, next}`, where `next` is the cursor to pass
     * for the next (older) page, absent at the end. `search` matches text or nick; keep it the same
     * while following `next`.
     */
    history({ limit, cursor, search } = {}) {
        const query = new URLSearchParams();
        if (limit) {
            query.set('limit', String(limit));
        }
        if (cursor) {
            query.set('cursor', cursor);
        }
        if (search) {
            query.set('search', search);
        }
        const text = query.toString();
        return this.#send('GET', text === '' ? 'api/history' : `api/history?${text}`);
    }

    /**
     * Deletes a chat line by its message id (a history line's `messageId`), on every server and from the stored
     * history: `{status, storedLinesDeleted, inRecentLines}`. `room` is the line's room (its history key will do);
     * the default room when absent. A 404 when no server here had the line.
     */
    redact(messageId, room) {
        return this.#send('POST', `api/history/${encodeURIComponent(messageId)}/redact`, room ? { room } : {});
    }

    /** The address of the live event stream; the session cookie goes along with it. */
    eventsUrl(includeChatLines) {
        return `api/events?chat=${includeChatLines ? 'true' : 'false'}`;
    }

    async #send(method, path, body) {
        const headers = { Accept: 'application/json' };
        if (body !== undefined) {
            headers['Content-Type'] = 'application/json';
        }
        if (method !== 'GET' && this.#csrfToken) {
            headers['X-CSRF-TOKEN'] = this.#csrfToken;
        }

        const response = await fetch(path, {
            method,
            headers,
            body: body === undefined ? undefined : JSON.stringify(body),
            credentials: 'same-origin',
            cache: 'no-store',
        });

        const type = response.headers.get('Content-Type') ?? '';
        const payload = type.includes('json') ? await response.json() : null;
        if (!response.ok) {
            const retryAfter = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
            throw new ApiError(response.status, payload, Number.isNaN(retryAfter) ? null : retryAfter);
        }
        return payload;
    }
}
