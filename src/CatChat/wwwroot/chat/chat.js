// The web chat page: pick a nickname, then talk in rooms. Everything from the server is set as text (textContent),
// never parsed as markup.
import { ChatSocket } from './chat-socket.js';
import { ChatView } from './chat-view.js';
import { RoomLog, isRoom, keyOf } from './room-log.js';
import { commandFor } from './typed-command.js';

const $ = id => document.getElementById(id);
const noticePrefix = '*** ';

// A tab is a room (its name starts with #) or a private conversation (named after the other user): one RoomLog each.
const state = {
    nick: null, // Chosen: sent again after a reconnect.
    needsPassword: false, // The banner says whether this chat asks for a password.
    password: null, // Kept in memory once it let the visitor in: a reconnect needs it too.
    joined: false,
    rooms: new Map(),
    current: null, // The tab on view.
    serverRoom: null, // Where the server sends this user's plain lines.
    restoring: [], // Rooms to rejoin after a reconnect, the current one last.
};

const socket = new ChatSocket({ open: onOpen, message: onMessage, closed: onClosed });
// A room becomes the server's current one (where plain lines go); a conversation is the page's alone.
const view = new ChatView(
    state,
    name => (isRoom(name) ? socket.send({ type: 'join', room: name }) : view.showRoom(name)),
    (room, entry) => socket.send({ type: 'redact', room, id: entry.id }));

function onOpen() {
    view.setStatus('Connected', 'online');
    $('hello-button').disabled = false;
    if (state.nick) {
        // A reconnect: the same nickname, then the same rooms.
        state.restoring = [...state.rooms.keys()].filter(name => isRoom(name) && name !== state.serverRoom);
        if (state.serverRoom) {
            state.restoring.push(state.serverRoom);
        }
        socket.send(helloFor(state.nick, state.password));
    }
}

function helloFor(nick, password) {
    return state.needsPassword ? { type: 'hello', nick, password: password ?? '' } : { type: 'hello', nick };
}

function onClosed(willRetry) {
    state.joined = false;
    view.setStatus(willRetry ? 'Reconnecting…' : 'Disconnected', 'offline');
}

const handlers = {
    banner: m => {
        $('banner').textContent = (m.lines ?? []).join('\n');
        if ('needsPassword' in m) { // Said on connecting; a banner changed later says nothing of it.
            state.needsPassword = m.needsPassword === true;
            $('password-row').hidden = !state.needsPassword;
        }
    },
    welcome: onWelcome,
    room: onRoom,
    parted: m => {
        state.rooms.delete(m.room);
        state.serverRoom = m.current ?? null;
        view.showRoom(state.serverRoom);
    },
    error: m => {
        if (!state.joined && m.code === 'password') {
            // The server closes the socket after this: the visitor tries again once the page has reconnected.
            state.nick = null;
            state.password = null;
            $('hello-button').disabled = true;
            view.showHelloError(m.text);
            view.showHello();
            return;
        }
        if (!state.joined && m.code?.startsWith('nick')) {
            view.showHelloError(m.text);
            if (state.restoring.length) {
                state.nick = null; // The old nickname is gone (taken meanwhile): the visitor picks again.
                view.showHello();
            }
            return;
        }
        addToCurrent({ kind: 'error', text: m.text });
        view.renderEarlierButton(state.rooms.get(state.current)); // An ask for earlier lines may have been refused.
    },
    // The server's own words to this user (text), or a notice the chat sent everyone (line).
    notice: m => addToCurrent({ kind: 'notice', text: m.text ?? stripNotice(m.line), at: m.at }),
    line: m => addLine(m, 'line'),
    action: m => addLine(m, 'action'),
    arrived: m => presence(m, m.rooms, room => room.members.add(m.nick)),
    departed: m => {
        const nicks = m.nicks ?? [m.nick];
        const rooms = m.rooms ?? [...state.rooms.values()].filter(room => nicks.some(n => room.members.has(n))).map(room => room.name);
        presence(m, rooms, room => nicks.forEach(n => room.members.delete(n)));
    },
    renamed: m => {
        if (m.nick === state.nick) {
            state.nick = m.text;
            $('me').textContent = state.nick;
        }
        renameConversation(m.nick, m.text);
        presence(m, m.rooms ?? [...state.rooms.keys()], room => {
            if (room.members.delete(m.nick)) {
                room.members.add(m.text);
            }
        });
    },
    roomJoined: m => presence(m, [m.room], room => room.members.add(m.nick)),
    roomParted: m => presence(m, [m.room], room => room.members.delete(m.nick)),
    roomRemoved: m => {
        if (m.nick === state.nick || !m.nick) {
            state.rooms.delete(m.room);
            addToCurrent({ kind: 'notice', text: stripNotice(m.line) });
            if (state.serverRoom === m.room) {
                state.serverRoom = [...state.rooms.keys()].filter(isRoom).pop() ?? null;
            }
            view.showRoom(state.rooms.has(state.current) ? state.current : state.serverRoom);
            return;
        }
        presence(m, [m.room], room => room.members.delete(m.nick));
    },
    topic: m => {
        const room = state.rooms.get(m.room);
        if (room) {
            room.topic = m.text ?? '';
            if (m.room === state.current) {
                $('topic').textContent = room.topic;
            }
        }
        presence(m, [m.room], () => {});
    },
    announcement: m => (m.room && state.rooms.has(m.room) ? addTo(m.room, notice(m)) : addToCurrent(notice(m))),
    // Private messages go to the conversation's own tab; one this user sent brings its tab into view.
    // An IRC user's private action (CTCP ACTION) reads as "* nick waves", as /me does in a room.
    private: m => addTo(conversation(m.nick).name, privateEntry(m, m.nick)),
    privateSent: m => {
        const talk = conversation(m.target);
        addTo(talk.name, privateEntry(m, state.nick));
        if (state.current !== talk.name) {
            view.showRoom(talk.name);
        }
    },
    kicked: m => {
        socket.stop(); // Told to go: coming straight back would be rude.
        addToCurrent({ kind: 'error', text: stripNotice(m.line), at: m.at });
    },
    invite: m => addToCurrent(notice(m)),
    rooms: m => addToCurrent({ kind: 'notice', text: 'Rooms: ' + m.rooms.map(r => `${r.room} (${r.members})`).join(', ') }),
    members: m => addToCurrent({ kind: 'notice', text: `In ${m.room}: ${m.nicks.join(', ')}` }),
    history: onEarlierLines,
    // A line taken back by its author or a room operator: its text goes, here and in every other page.
    redacted: m => {
        const room = state.rooms.get(m.room);
        if (room?.redact(m.target, m.nick) && m.room === state.current) {
            view.redraw(room);
        }
    },
};

function onMessage(message) {
    handlers[message.type]?.(message);
}

function onWelcome(m) {
    state.nick = m.nick;
    const typed = $('password-input');
    if (typed.value) {
        state.password = typed.value; // Not left in the page's form once it has let the visitor in.
        typed.value = '';
    }
    state.joined = true;
    $('me').textContent = m.nick;
    $('me').hidden = false;
    $('hello-form').hidden = true;
    $('chat').hidden = false;
    $('hello-error').hidden = true;
    for (const name of state.restoring) {
        socket.send({ type: 'join', room: name });
    }
    state.restoring = [];
    $('message-input').focus();
}

// A room's state: on entering it, on switching to it, after a reconnect.
function onRoom(m) {
    let room = state.rooms.get(m.room);
    if (!room) {
        room = new RoomLog(m.room);
        state.rooms.set(m.room, room);
    }
    room.topic = m.topic ?? '';
    room.members = new Set(m.members ?? []);
    room.merge(m.history ?? []);
    if (m.current) {
        state.current = m.room;
        state.serverRoom = m.room;
    }
    view.showRoom(state.current);
}

// A page of a room's earlier lines, asked for with the Earlier lines button: shown above the others, the view kept
// where it was.
function onEarlierLines(m) {
    const room = state.rooms.get(m.room);
    if (!room) {
        return;
    }
    // The first page is asked for by the oldest time shown (later ones by cursor), and holds that millisecond's lines.
    const boundary = room.earlier === undefined ? room.oldestTime() : undefined;
    room.earlier = m.cursor ?? null;
    const added = room.prepend(m.lines ?? [], boundary);
    if (m.room !== state.current) {
        return;
    }
    view.redraw(room);
    if (added === 0) {
        addToCurrent({ kind: 'notice', text: `No earlier lines in ${room.name}.` });
    }
    view.renderEarlierButton(room);
}

function privateEntry(m, from) {
    return m.action
        ? { kind: 'action', nick: from, text: m.text, at: m.at }
        : { kind: 'private', nick: `<${from}>`, text: m.text, at: m.at };
}

function askForEarlierLines() {
    const room = state.rooms.get(state.current);
    if (!room || !isRoom(room.name) || room.earlier === null) {
        return;
    }
    const from = room.earlier ? { cursor: room.earlier } : room.oldestTime() !== undefined ? { before: room.oldestTime() } : {};
    if (socket.send({ type: 'history', room: room.name, ...from })) {
        $('earlier-button').disabled = true; // Until the answer comes.
    }
}

// The tab of a private conversation with someone, opened when it starts; its members are the two of them.
function conversation(nick) {
    let talk = state.rooms.get(nick);
    if (!talk) {
        talk = new RoomLog(nick);
        talk.members = new Set([nick, state.nick]);
        state.rooms.set(nick, talk);
        view.renderTabs();
    }
    return talk;
}

function renameConversation(from, to) {
    const talk = state.rooms.get(from);
    if (!talk || isRoom(from) || state.rooms.has(to)) {
        return;
    }
    state.rooms.delete(from);
    talk.name = to;
    state.rooms.set(to, talk);
    if (state.current === from) {
        state.current = to;
    }
    view.renderTabs();
}

function stripNotice(line) {
    return line?.startsWith(noticePrefix) ? line.slice(noticePrefix.length) : line ?? '';
}

function notice(m) {
    const text = stripNotice(m.line);
    return { kind: 'notice', key: keyOf('notice', null, text), text, at: m.at };
}

// Someone arrived, left or changed: the member lists of the rooms it concerns, and a notice in each.
function presence(m, roomNames, change) {
    for (const name of roomNames ?? []) {
        const room = state.rooms.get(name);
        if (!room) {
            continue;
        }
        change(room);
        addTo(name, notice(m));
    }
    if (roomNames?.includes(state.current)) {
        view.renderMembers();
    }
}

function addLine(m, kind) {
    const room = m.room ?? state.current;
    addTo(room, { kind, key: keyOf(kind, m.nick, m.text), nick: m.nick, text: m.text, at: m.at, id: m.id });
}

function addToCurrent(entry) {
    addTo(state.current, entry);
}

function addTo(roomName, entry) {
    const room = state.rooms.get(roomName);
    if (!room) {
        if (!state.joined) {
            view.showHelloError(entry.text);
        }
        return;
    }
    room.add(entry);
    if (roomName === state.current) {
        view.appendEntry(entry);
    } else {
        room.unread = true;
        view.renderTabs();
    }
}

$('hello-form').addEventListener('submit', event => {
    event.preventDefault();
    const nick = $('nick-input').value.trim();
    if (!nick) {
        view.showHelloError('Pick a nickname first.');
        return;
    }
    // Kept only once the server welcomes it (see onWelcome): a refused nickname is not sent again on a reconnect.
    if (!socket.send(helloFor(nick, $('password-input').value))) {
        view.showHelloError('Not connected yet; trying again…');
    }
});

$('say-form').addEventListener('submit', event => {
    event.preventDefault();
    const input = $('message-input');
    const text = input.value;
    if (!text.trim()) {
        return;
    }
    const command = commandFor(text, state, {
        show: addToCurrent,
        closeConversation: () => $('part-button').click(), // The button's own work: closes the conversation's tab.
        stopReconnecting: () => socket.stop(),
    });
    if (command && socket.send(command)) {
        input.value = '';
    }
});

// Enter sends, as in any chat; Shift+Enter starts a new line of the same message (sent as one multiline message).
$('message-input').addEventListener('keydown', event => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        $('say-form').requestSubmit();
    }
});

$('join-form').addEventListener('submit', event => {
    event.preventDefault();
    const input = $('room-input');
    let name = input.value.trim();
    if (!name) {
        return;
    }
    if (!name.startsWith('#')) {
        name = '#' + name;
    }
    if (socket.send({ type: 'join', room: name })) {
        input.value = '';
    }
});

$('earlier-button').addEventListener('click', askForEarlierLines);

$('part-button').addEventListener('click', () => {
    if (isRoom(state.current)) {
        socket.send({ type: 'part', room: state.current });
    } else if (state.current) {
        state.rooms.delete(state.current);
        view.showRoom(state.serverRoom);
    }
});

socket.connect();
