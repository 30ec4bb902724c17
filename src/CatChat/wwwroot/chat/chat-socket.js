// The web chat's WebSocket: JSON messages both ways (docs/protocol.md), and reconnection with growing pauses
// after the server goes away (a restart, a network change), until the page says stop (a kick, a quit).

const firstPause = 250;
const longestPause = 4000;

export class ChatSocket {
    /**
     * `handlers.open()` runs on every (re)connection, `handlers.message(msg)` for each message from the server,
     * `handlers.closed(willRetry)` when the socket is lost.
     */
    constructor(handlers) {
        this.handlers = handlers;
        this.pause = firstPause;
        this.stopped = false;
        this.socket = null;
    }

    connect() {
        const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
        const socket = new WebSocket(`${scheme}//${location.host}/ws`);
        this.socket = socket;
        socket.addEventListener('open', () => {
            this.pause = firstPause;
            this.handlers.open();
        });
        socket.addEventListener('message', event => {
            let message;
            try {
                message = JSON.parse(event.data);
            } catch {
                return; // The server sends only JSON; anything else is not ours to show.
            }
            this.handlers.message(message);
        });
        socket.addEventListener('close', () => {
            if (this.socket !== socket) {
                return;
            }
            this.socket = null;
            const retry = !this.stopped;
            this.handlers.closed(retry);
            if (retry) {
                // A little jitter, so a restarted server is not met by every page in the same millisecond.
                setTimeout(() => this.connect(), this.pause * (0.75 + Math.random() / 2));
                this.pause = Math.min(this.pause * 2, longestPause);
            }
        });
    }

    /** Sends one message; false when there is no open socket to send it on. */
    send(message) {
        if (!this.socket || this.socket.readyState !== WebSocket.OPEN) {
            return false;
        }
        this.socket.send(JSON.stringify(message));
        return true;
    }

    /** No more reconnecting: the server told us to go (kicked) or the user quit. */
    stop() {
        this.stopped = true;
    }
}
