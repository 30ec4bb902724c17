// The web chat page: pick a nickname, then talk in rooms. Everything from the server is set as text (textContent),
// never parsed as markup.
import { ChatSocket } from './chat-socket.js';
import { RoomLog, keyOf } from './room-log.js';

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

const isRoom = name => name?.startsWith('#') ?? false;

const socket = new ChatSocket({ open: onOpen, message: onMessage, closed: onClosed });

function setStatus(text, stateName) {
    const status = $('status');
    status.textContent = text;
    status.dataset.state = stateName;
}

function onOpen() {
    setStatus('Connected', 'online');
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
    setStatus(willRetry ? 'Reconnecting…' : 'Disconnected', 'offline');
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
        showRoom(state.serverRoom);
    },
    error: m => {
        if (!state.joined && m.code === 'password') {
            // The server closes the socket after this: the visitor tries again once the page has reconnected.
            state.nick = null;
            state.password = null;
            $('hello-button').disabled = true;
            showHelloError(m.text);
            showHello();
            return;
        }
        if (!state.joined && m.code?.startsWith('nick')) {
            showHelloError(m.text);
            if (state.restoring.length) {
                state.nick = null; // The old nickname is gone (taken meanwhile): the visitor picks again.
                showHello();
            }
            return;
        }
        addToCurrent({ kind: 'error', text: m.text });
        renderEarlierButton(state.rooms.get(state.current)); // An ask for earlier lines may have been refused.
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
            showRoom(state.rooms.has(state.current) ? state.current : state.serverRoom);
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
            showRoom(talk.name);
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
    showRoom(state.current);
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
    const log = $('log');
    const fromBottom = log.scrollHeight - log.scrollTop;
    log.replaceChildren();
    room.entries.forEach(appendEntry);
    log.scrollTop = log.scrollHeight - fromBottom;
    if (added === 0) {
        addToCurrent({ kind: 'notice', text: `No earlier lines in ${room.name}.` });
    }
    renderEarlierButton(room);
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

function renderEarlierButton(room) {
    const button = $('earlier-button');
    button.hidden = !room || !isRoom(room.name);
    button.disabled = room?.earlier === null;
    button.textContent = room?.earlier === null ? 'No earlier lines' : 'Earlier lines';
}

// The tab of a private conversation with someone, opened when it starts; its members are the two of them.
function conversation(nick) {
    let talk = state.rooms.get(nick);
    if (!talk) {
        talk = new RoomLog(nick);
        talk.members = new Set([nick, state.nick]);
        state.rooms.set(nick, talk);
        renderTabs();
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
    renderTabs();
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
        renderMembers();
    }
}

function addLine(m, kind) {
    const room = m.room ?? state.current;
    addTo(room, { kind, key: keyOf(kind, m.nick, m.text), nick: m.nick, text: m.text, at: m.at });
}

function addToCurrent(entry) {
    addTo(state.current, entry);
}

function addTo(roomName, entry) {
    const room = state.rooms.get(roomName);
    if (!room) {
        if (!state.joined) {
            showHelloError(entry.text);
        }
        return;
    }
    room.add(entry);
    if (roomName === state.current) {
        appendEntry(entry);
    } else {
        room.unread = true;
        renderTabs();
    }
}

function timeOf(at) {
    const date = at ? new Date(at) : new Date();
    return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function appendEntry(entry) {
    const log = $('log');
    const nearBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    const item = document.createElement('li');
    item.dataset.kind = entry.kind === 'line' ? 'line' : entry.kind;
    const time = document.createElement('span');
    time.className = 'time';
    time.textContent = timeOf(entry.at);
    item.append(time);
    if (entry.nick && entry.kind !== 'notice') {
        const nick = document.createElement('span');
        nick.className = 'nick';
        nick.textContent = entry.kind === 'action' ? `* ${entry.nick}` : entry.kind === 'line' ? `<${entry.nick}>` : entry.nick;
        item.append(nick);
    }
    const text = document.createElement('span');
    text.className = 'text';
    text.textContent = entry.text ?? '';
    item.append(text);
    log.append(item);
    if (nearBottom) {
        log.scrollTop = log.scrollHeight;
    }
}

function showRoom(name) {
    state.current = name;
    const room = name ? state.rooms.get(name) : null;
    const log = $('log');
    log.replaceChildren();
    if (room) {
        room.unread = false;
        room.entries.forEach(appendEntry);
        log.scrollTop = log.scrollHeight;
    }
    $('topic').textContent = isRoom(name) ? room?.topic ?? '' : name ? `Private conversation with ${name}` : '';
    $('part-button').textContent = isRoom(name) || !name ? 'Leave room' : 'Close conversation';
    renderEarlierButton(room);
    renderTabs();
    renderMembers();
}

function renderTabs() {
    const tabs = $('room-tabs');
    tabs.replaceChildren(...[...state.rooms.values()].map(room => {
        const item = document.createElement('li');
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = room.name;
        button.dataset.room = room.name;
        button.setAttribute('aria-current', String(room.name === state.current));
        button.classList.toggle('unread', room.unread);
        button.classList.toggle('conversation', !isRoom(room.name));
        // A room becomes the server's current one (where plain lines go); a conversation is the page's alone.
        button.addEventListener('click', () => (isRoom(room.name) ? socket.send({ type: 'join', room: room.name }) : showRoom(room.name)));
        item.append(button);
        return item;
    }));
}

function renderMembers() {
    const room = state.rooms.get(state.current);
    const nicks = room ? [...room.members].sort((a, b) => a.localeCompare(b)) : [];
    $('member-count').textContent = String(nicks.length);
    $('members').replaceChildren(...nicks.map(nick => {
        const item = document.createElement('li');
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = nick;
        button.title = `Send ${nick} a private message`;
        button.addEventListener('click', () => {
            const input = $('message-input');
            input.value = `/msg ${nick} `;
            input.focus();
        });
        item.append(button);
        return item;
    }));
}

function showHello() {
    $('chat').hidden = true;
    $('hello-form').hidden = false;
}

function showHelloError(text) {
    const error = $('hello-error');
    error.textContent = text;
    error.hidden = false;
}

// What the visitor typed: a line (to the room, or to the person of the conversation on view), or a command.
function commandFor(text) {
    if (!text.startsWith('/') || text.startsWith('//')) {
        const line = text.startsWith('//') ? text.slice(1) : text;
        return state.current && !isRoom(state.current) ? { type: 'msg', to: state.current, text: line } : { type: 'say', text: line };
    }
    const [name, ...rest] = text.slice(1).split(' ');
    const argument = rest.join(' ').trim();
    const inConversation = state.current && !isRoom(state.current);
    switch (name.toLowerCase()) {
        case 'me':
            if (inConversation) {
                addToCurrent({ kind: 'error', text: '/me works in rooms; here, just write.' });
                return null;
            }
            return { type: 'me', text: argument };
        case 'join': return { type: 'join', room: argument };
        case 'part':
            if (inConversation) {
                $('part-button').click(); // Closes the conversation's tab.
                return null;
            }
            return { type: 'part', reason: argument };
        case 'nick': return { type: 'nick', nick: argument };
        case 'rooms': return { type: 'rooms' };
        case 'who': return { type: 'who', room: argument || undefined };
        case 'topic': {
            const room = isRoom(state.current) ? state.rooms.get(state.current) : null;
            if (!argument) {
                addToCurrent({ kind: 'notice', text: !room ? 'Topics belong to rooms.' : room.topic ? `Topic of ${room.name}: ${room.topic}` : `${room.name} has no topic.` });
                return null;
            }
            return room ? { type: 'topic', room: room.name, text: argument } : { type: 'topic', text: argument };
        }
        case 'quit':
            socket.stop();
            return { type: 'quit', reason: argument };
        case 'msg': {
            const space = argument.indexOf(' ');
            return space < 0 ? { type: 'msg', to: argument, text: '' } : { type: 'msg', to: argument.slice(0, space), text: argument.slice(space + 1) };
        }
        default:
            addToCurrent({ kind: 'error', text: `Unknown command /${name}: try /me, /msg, /join, /part, /topic, /nick, /rooms, /who or /quit.` });
            return null;
    }
}

$('hello-form').addEventListener('submit', event => {
    event.preventDefault();
    const nick = $('nick-input').value.trim();
    if (!nick) {
        showHelloError('Pick a nickname first.');
        return;
    }
    // Kept only once the server welcomes it (see onWelcome): a refused nickname is not sent again on a reconnect.
    if (!socket.send(helloFor(nick, $('password-input').value))) {
        showHelloError('Not connected yet; trying again…');
    }
});

$('say-form').addEventListener('submit', event => {
    event.preventDefault();
    const input = $('message-input');
    const text = input.value;
    if (!text.trim()) {
        return;
    }
    const command = commandFor(text);
    if (command && socket.send(command)) {
        input.value = '';
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
        showRoom(state.serverRoom);
    }
});

socket.connect();
