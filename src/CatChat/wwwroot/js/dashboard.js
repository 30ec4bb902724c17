// The admin dashboard: signs in with the admin token, then follows the chat live through the
// Server-Sent Events of GET /api/events and offers the moderation actions of the REST API.

import { ActivityChart } from './activity-chart.js';
import { Api, ApiError } from './api.js';
import { ClusterPanel } from './cluster-panel.js';
import { byId, formatCount, formatRate, showMessage } from './dom.js';
import { EventFeed } from './event-feed.js';
import { HistoryPanel } from './history-panel.js';
import { RoomsPanel } from './rooms-panel.js';
import { UsersTable } from './users-table.js';

/** The named events of the stream besides `stats`. */
const CHAT_EVENTS = ['join', 'leave', 'nick', 'banner', 'kick', 'announce', 'message', 'action', 'topic', 'roomjoin', 'roompart'];

/** Events after which the users table is out of date. */
const MEMBERSHIP_EVENTS = new Set(['join', 'leave', 'nick', 'kick']);

/** Chat lines: in the stream while the feed shows them or a room is picked. */
const CHAT_LINES = new Set(['message', 'action']);

/** How often the cluster panel asks again, at most (it asks on the stream's stats events). */
const CLUSTER_REFRESH_MS = 2000;

/**
 * How often the rooms panel asks again when nothing told it to: joins, leaves, nicks, kicks, topics and rooms joined
 * and parted make it ask at once; this only catches what a reconnecting stream missed.
 */
const ROOMS_REFRESH_MS = 15000;

/** Events that change a room's members or topic. */
const ROOM_EVENTS = new Set(['roomjoin', 'roompart', 'topic']);

/** How long to wait before opening the stream again after the server refused it. */
const RETRY_DELAY_MS = 5000;

const LIVE_STATES = {
    connecting: 'Connecting…',
    live: 'Live',
    reconnecting: 'Reconnecting…',
    offline: 'Offline',
};

const page = {
    loading: byId('loading'),
    signInView: byId('sign-in-view'),
    signInForm: byId('sign-in-form'),
    token: byId('token'),
    signInError: byId('sign-in-error'),
    dashboardView: byId('dashboard-view'),
    sessionBar: byId('session-bar'),
    liveStatus: byId('live-status'),
    signOut: byId('sign-out'),
    userCount: byId('user-count'),
    lineRate: byId('line-rate'),
    linesReceived: byId('lines-received'),
    bannerCurrent: byId('banner-current'),
    bannerForm: byId('banner-form'),
    bannerText: byId('banner-text'),
    bannerStatus: byId('banner-status'),
    announceForm: byId('announce-form'),
    announceText: byId('announce-text'),
    announceStatus: byId('announce-status'),
    includeChat: byId('include-chat'),
    kickDialog: byId('kick-dialog'),
    kickForm: byId('kick-form'),
    kickNick: byId('kick-nick'),
    kickReason: byId('kick-reason'),
    kickError: byId('kick-error'),
    kickCancel: byId('kick-cancel'),
};

const api = new Api();
const chart = new ActivityChart(byId('activity-chart'));
const feed = new EventFeed(byId('event-feed'), byId('feed-empty'));
const users = new UsersTable(byId('users-table'), byId('users-empty'), openKickDialog);
const cluster = new ClusterPanel(byId('cluster'));
const chatHistory = new HistoryPanel(api, byId('history'), () => sessionEnded());
const rooms = new RoomsPanel(api, byId('rooms'), () => sessionEnded(), () => followChatLines());

/** Changes on every sign-in and sign-out, so answers that arrive late for an old session are dropped. */
let generation = 0;
let events = null;
/** Whether the open stream carries chat lines. */
let eventsHaveChat = false;
let retryTimer = 0;
let wasLive = false;
let shownBanner = '';
let lastLinesReceived = null;
let kickTarget = '';

// --- Signing in and out ---------------------------------------------------------------------------

async function start() {
    try {
        const session = await api.session();
        if (session.authenticated) {
            showDashboard();
        } else {
            showSignIn();
        }
    } catch {
        page.loading.textContent = 'The server cannot be reached. Reload the page to try again.';
    }
}

function showSignIn(message = '') {
    generation++;
    closeEvents();
    if (page.kickDialog.open) {
        page.kickDialog.close();
    }
    chatHistory.clear();
    cluster.clear();
    rooms.clear();
    page.loading.hidden = true;
    page.dashboardView.hidden = true;
    page.sessionBar.hidden = true;
    page.signInView.hidden = false;
    showMessage(page.signInError, message, message !== '');
    page.token.focus();
}

function showDashboard() {
    generation++;
    page.loading.hidden = true;
    page.signInView.hidden = true;
    page.dashboardView.hidden = false;
    page.sessionBar.hidden = false;
    feed.clear();
    chart.clear();
    users.clear();
    showMessage(page.bannerStatus, '');
    showMessage(page.announceStatus, '');
    shownBanner = '';
    page.bannerText.value = '';
    wasLive = false;
    lastLinesReceived = null;
    refreshBanner();
    refreshUsers();
    cluster.clear();
    lastClusterRefresh = 0;
    refreshCluster();
    rooms.clear();
    lastRoomsRefresh = 0;
    refreshRooms();
    chatHistory.clear();
    chatHistory.search('');
    openEvents();
}

function sessionEnded() {
    showSignIn('Your session has ended. Sign in again.');
}

page.signInForm.addEventListener('submit', async (submit) => {
    submit.preventDefault();
    const token = page.token.value.trim();
    if (token === '') {
        showMessage(page.signInError, 'Enter the admin token.', true);
        return;
    }

    const button = page.signInForm.querySelector('button[type=submit]');
    button.disabled = true;
    showMessage(page.signInError, '');
    try {
        await api.signIn(token);
        // The anti-forgery token is bound to the signed-in user: fetch a fresh one.
        const session = await api.session();
        if (!session.authenticated) {
            throw new Error('The sign-in did not stick. Does this browser block cookies?');
        }
        page.token.value = '';
        showDashboard();
    } catch (error) {
        showMessage(page.signInError, signInProblem(error), true);
        page.token.select();
    } finally {
        button.disabled = false;
    }
});

function signInProblem(error) {
    if (!(error instanceof ApiError)) {
        return error instanceof TypeError ? 'The server cannot be reached.' : error.message;
    }
    if (error.status === 401) {
        return 'That is not the admin token.';
    }
    if (error.status === 429) {
        return `Too many failed attempts. Try again in ${error.retryAfterSeconds ?? 60} seconds.`;
    }
    return error.message;
}

page.signOut.addEventListener('click', async () => {
    page.signOut.disabled = true;
    try {
        await api.signOut();
    } catch (error) {
        if (!(error instanceof ApiError && error.isUnauthorized)) {
            page.signOut.disabled = false;
            showLiveState('offline', `Signing out failed: ${error.message}`);
            return;
        }
    }
    page.signOut.disabled = false;
    showSignIn();
    try {
        await api.session(); // A fresh anti-forgery token for the signed-out browser.
    } catch {
        // The next sign-in fetches one anyway.
    }
});

// --- The live event stream ------------------------------------------------------------------------

function openEvents() {
    closeEvents();
    eventsHaveChat = wantsChatLines();
    const source = new EventSource(api.eventsUrl(eventsHaveChat));
    events = source;
    showLiveState(wasLive ? 'reconnecting' : 'connecting');

    // The server sends stats first, once it is subscribed: from then on no event is missed.
    let receiving = false;
    source.addEventListener('stats', (message) => {
        if (source !== events) {
            return;
        }
        if (!receiving) {
            receiving = true;
            onStreamStarted();
        }
        onStats(JSON.parse(message.data));
    });
    for (const kind of CHAT_EVENTS) {
        source.addEventListener(kind, (message) => onChatEvent(kind, JSON.parse(message.data)));
    }
    source.addEventListener('error', () => {
        receiving = false;
        onStreamError(source);
    });
}

function onStreamStarted() {
    if (wasLive) {
        // Events may have been missed while the stream was down or being reopened.
        refreshUsers();
        refreshBanner();
        refreshRooms();
    }
    wasLive = true;
    showLiveState('live');
}

function closeEvents() {
    clearTimeout(retryTimer);
    if (events) {
        events.close();
        events = null;
    }
}

async function onStreamError(source) {
    if (source !== events) {
        return;
    }
    chart.breakLine();
    if (page.liveStatus.dataset.state === 'live') {
        feed.note('The connection to the server was lost.');
    }
    if (source.readyState === EventSource.CONNECTING) {
        showLiveState('reconnecting'); // The browser retries by itself.
        return;
    }

    // Closed for good: the server refused the stream, perhaps because the session has ended.
    events = null;
    showLiveState('offline');
    const mine = generation;
    try {
        const session = await api.session();
        if (mine === generation && !session.authenticated) {
            sessionEnded();
            return;
        }
    } catch {
        // The server is down; try again later.
    }
    if (mine === generation) {
        retryTimer = setTimeout(openEvents, RETRY_DELAY_MS);
    }
}

function showLiveState(state, title = '') {
    page.liveStatus.dataset.state = state;
    page.liveStatus.textContent = LIVE_STATES[state];
    page.liveStatus.title = title;
}

function onStats(stats) {
    showUserCount(stats.users);
    page.lineRate.textContent = formatRate(chart.add(stats));
    page.linesReceived.textContent = formatCount(stats.linesReceived);
    // Refresh the table when its "lines sent" are behind, or when a join or leave went by unseen.
    const linesChanged = lastLinesReceived !== null && stats.linesReceived !== lastLinesReceived;
    lastLinesReceived = stats.linesReceived;
    if (linesChanged || stats.users !== users.rowCount) {
        refreshUsers();
    }
    if (Date.now() - lastClusterRefresh >= CLUSTER_REFRESH_MS) {
        refreshCluster();
    }
    if (Date.now() - lastRoomsRefresh >= ROOMS_REFRESH_MS) {
        refreshRooms();
    }
}

// --- Cluster --------------------------------------------------------------------------------------

let lastClusterRefresh = 0;

async function refreshCluster() {
    lastClusterRefresh = Date.now();
    const mine = generation;
    try {
        const answer = await api.cluster();
        if (mine === generation) {
            cluster.show(answer);
        }
    } catch (error) {
        if (mine === generation) {
            reportBackgroundError(error);
        }
    }
}

function onChatEvent(kind, event) {
    // The stream may carry chat lines for the rooms panel alone.
    if (!CHAT_LINES.has(kind) || page.includeChat.checked) {
        feed.add(kind, event);
    }
    rooms.onEvent(kind, event);
    if (typeof event.users === 'number') {
        showUserCount(event.users);
    }
    if (MEMBERSHIP_EVENTS.has(kind)) {
        refreshUsers();
    }
    if (MEMBERSHIP_EVENTS.has(kind) || ROOM_EVENTS.has(kind)) {
        refreshRooms();
    }
    if (kind === 'banner') {
        showBanner(event.text ?? '');
    }
}

function wantsChatLines() {
    return page.includeChat.checked || rooms.picked !== null;
}

/** Opens the stream again when it should now carry chat lines, or no longer should: it is chosen when it opens. */
function followChatLines() {
    if (events && wantsChatLines() !== eventsHaveChat) {
        openEvents();
    }
}

page.includeChat.addEventListener('change', followChatLines);

// --- Rooms ----------------------------------------------------------------------------------------

let lastRoomsRefresh = 0;

function refreshRooms() {
    lastRoomsRefresh = Date.now();
    rooms.refresh();
}

// --- Users ----------------------------------------------------------------------------------------

function showUserCount(count) {
    page.userCount.textContent = formatCount(count);
}

let usersRefresh = null;
let usersStale = false;

/** Reloads the users table; calls while a reload is running make it reload once more afterwards. */
function refreshUsers() {
    usersStale = true;
    if (usersRefresh) {
        return;
    }
    usersRefresh = (async () => {
        try {
            while (usersStale) {
                usersStale = false;
                const mine = generation;
                try {
                    const answer = await api.users();
                    if (mine !== generation) {
                        continue; // Signed out or in again meanwhile: this answer belongs to the old session.
                    }
                    if (!answer.connected) {
                        sessionEnded(); // The list is only given to a signed-in admin.
                        return;
                    }
                    users.show(answer.connected);
                    showUserCount(answer.users);
                } catch (error) {
                    if (mine === generation) {
                        reportBackgroundError(error);
                    }
                }
            }
        } finally {
            usersRefresh = null;
        }
    })();
}

function openKickDialog(nick) {
    kickTarget = nick;
    page.kickNick.textContent = nick;
    page.kickReason.value = '';
    showMessage(page.kickError, '');
    page.kickDialog.showModal();
    page.kickReason.focus();
}

page.kickCancel.addEventListener('click', () => page.kickDialog.close());

page.kickForm.addEventListener('submit', async (submit) => {
    submit.preventDefault();
    const button = byId('kick-confirm');
    button.disabled = true;
    try {
        await api.kick(kickTarget, page.kickReason.value.trim());
        page.kickDialog.close();
    } catch (error) {
        if (error instanceof ApiError && error.isUnauthorized) {
            sessionEnded();
            return;
        }
        const text = error instanceof ApiError && error.status === 404
            ? `${kickTarget} is not online any more.`
            : error.message;
        showMessage(page.kickError, text, true);
    } finally {
        button.disabled = false;
        refreshUsers();
    }
});

// --- Banner ---------------------------------------------------------------------------------------

async function refreshBanner() {
    const mine = generation;
    try {
        const answer = await api.banner();
        if (mine === generation) {
            showBanner(answer.banner);
        }
    } catch (error) {
        if (mine === generation) {
            reportBackgroundError(error);
        }
    }
}

/** Shows the current banner; the form follows it unless someone is editing it. */
function showBanner(banner) {
    const editing = page.bannerText.value !== shownBanner;
    page.bannerCurrent.textContent = banner;
    page.bannerCurrent.classList.toggle('banner-empty', banner === '');
    if (banner === '') {
        page.bannerCurrent.textContent = '(no banner)';
    }
    if (!editing) {
        page.bannerText.value = banner;
    }
    shownBanner = banner;
}

page.bannerForm.addEventListener('submit', async (submit) => {
    submit.preventDefault();
    await runAction(page.bannerForm, page.bannerStatus, async () => {
        const answer = await api.setBanner(page.bannerText.value);
        page.bannerText.value = answer.banner;
        showBanner(answer.banner);
        return 'Saved. New logins get this banner.';
    });
});

// --- Announcements --------------------------------------------------------------------------------

page.announceForm.addEventListener('submit', async (submit) => {
    submit.preventDefault();
    const message = page.announceText.value.trim();
    if (message === '') {
        showMessage(page.announceStatus, 'Write something to announce first.', true);
        return;
    }
    await runAction(page.announceForm, page.announceStatus, async () => {
        await api.announce(message);
        page.announceText.value = '';
        return 'Sent to everyone online.';
    });
});

// --- Shared ---------------------------------------------------------------------------------------

/** Runs a form's request with its button disabled, and reports the outcome in its status line. */
async function runAction(form, status, action) {
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    showMessage(status, '');
    try {
        showMessage(status, await action());
    } catch (error) {
        if (error instanceof ApiError && error.isUnauthorized) {
            sessionEnded();
            return;
        }
        showMessage(status, error instanceof ApiError ? error.message : 'The server cannot be reached.', true);
    } finally {
        button.disabled = false;
    }
}

function reportBackgroundError(error) {
    if (error instanceof ApiError && error.isUnauthorized) {
        sessionEnded();
    } else {
        showLiveState(page.liveStatus.dataset.state, `Last error: ${error.message}`);
    }
}

start();
