import * as api from './api.js';

const $ = (id) => document.getElementById(id);
const state = {
  agent: null,
  conversations: new Map(), // id -> conversation (ended ones stay, greyed out)
  whispers: new Map(),      // id -> the agent's earlier text that the customer answered
  delivery: new Map(),      // messageId -> DELIVERED, FAILED...
  current: null,
  source: null,
};

const TICKS = {
  ACCEPTED: ['✓', 'sent'], SENT: ['✓', 'sent'], UNKNOWN: ['✓', 'sent'],
  DELIVERED: ['✓✓', 'delivered'], FAILED: ['✗', 'not delivered'], EXPIRED: ['✗', 'expired'],
  REJECTED: ['✗', 'rejected'],
};

function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null) e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

function say(text) { $('status').textContent = text; }

function showError(err) {
  const box = $('error');
  if (!err) { box.hidden = true; box.textContent = ''; return; }
  box.textContent = err.message || String(err);
  box.hidden = false;
}

// What the agent asked for: clears the last error first, shows a new one.
async function guarded(fn) {
  showError(null);
  return background(fn);
}

// What the page does by itself (reloading lists on events): shows an error, never hides the agent's last one.
async function background(fn) {
  try { return await fn(); } catch (e) {
    if (e.status === 401) { signedOut(); }
    showError(e);
    return undefined;
  }
}

function time(iso) {
  return iso ? new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '';
}

function label(c) {
  return `${c.customer} · ${c.businessName || c.business}`;
}

// ------------------------------------------------------------------------------------------------ sign in / out

async function start() {
  const agent = await api.me().catch(() => null);
  if (agent) await signedIn(agent); else signedOut();
}

async function signedIn(agent) {
  state.agent = agent;
  $('sign-in').hidden = true;
  $('desk').hidden = false;
  $('who').hidden = false;
  $('agent-name').textContent = agent.agentId;
  $('presence').value = agent.presence;
  const list = await api.numbers();
  $('from').replaceChildren(...list.numbers.map((n) =>
    el('option', { value: n.number }, `${n.displayName} (${n.number})`)));
  await refresh();
  if (state.source) state.source.close();
  connect();
  openFromHash();
}

// The event stream, with its state shown to the agent ("Live" once connected).
function connect() {
  const live = $('live');
  live.textContent = 'Connecting…';
  state.source = api.events(onEvent, () => {
    live.textContent = 'Live';
    background(refresh);
  }, () => background(async () => {
    live.textContent = 'Disconnected';
    await api.me(); // a 401 here signs the page out; otherwise the stream is reopened
    connect();
  }), () => { live.textContent = 'Reconnecting…'; });
}

function signedOut() {
  if (state.source) state.source.close();
  state.source = null;
  state.agent = null;
  state.conversations.clear();
  $('sign-in').hidden = false;
  $('desk').hidden = true;
  $('who').hidden = true;
}

$('sign-in-form').addEventListener('submit', (e) => {
  e.preventDefault();
  guarded(async () => {
    await api.signIn($('token').value.trim());
    $('token').value = '';
    await signedIn(await api.me());
    say('Signed in');
  });
});

$('sign-out').addEventListener('click', () => guarded(async () => {
  await api.signOut();
  signedOut();
  say('Signed out');
}));

$('presence').addEventListener('change', () => guarded(async () => {
  const agent = await api.setPresence($('presence').value);
  say(`Presence: ${agent.presence.toLowerCase()}`);
}));

// ------------------------------------------------------------------------------------------------ lists

async function refresh() {
  const lists = await api.conversations();
  for (const c of lists.assigned) state.conversations.set(c.id, c);
  for (const [id, c] of state.conversations) {
    if (c.state !== 'ENDED' && !lists.assigned.some((a) => a.id === id)) {
      state.conversations.delete(id); // released or reassigned elsewhere
    }
  }
  renderList();
  $('waiting').replaceChildren(...lists.queued.map((c) =>
    el('li', {}, `${c.customer} · ${c.businessName || c.business} · waiting since ${time(c.openedAt)}`)));
  const q = await api.queues();
  $('queues').textContent = q.queues.map((x) =>
    `${x.queue}: ${x.waiting} waiting, ${x.agentsAvailable} agents available`).join('; ') || 'No queues';
}

function renderList() {
  const items = [...state.conversations.values()]
    .sort((a, b) => (b.lastActivityAt || '').localeCompare(a.lastActivityAt || ''));
  $('mine').replaceChildren(...items.map((c) => {
    const ended = c.state === 'ENDED';
    const note = ended ? (c.endReason === 'OPT_OUT' ? ' · opted out' : ' · ended') : '';
    return el('li', { class: ended ? 'ended' : '' },
      el('button', {
        type: 'button', class: 'conversation-link', 'data-id': c.id,
        'aria-current': state.current === c.id ? 'true' : 'false',
        onclick: () => { location.hash = `conversation=${c.id}`; },
      }, label(c) + note));
  }));
}

// ------------------------------------------------------------------------------------------------ conversation

function openFromHash() {
  const m = /conversation=([^&]+)/.exec(location.hash);
  if (m && state.agent) open(decodeURIComponent(m[1]));
}
window.addEventListener('hashchange', openFromHash);

async function open(id) {
  const detail = await guarded(() => api.conversation(id));
  if (!detail) {
    state.current = null;
    $('conversation-title').textContent = 'Conversation not available';
    $('conversation-meta').textContent = '';
    $('transcript').replaceChildren();
    $('reply-form').hidden = true;
    $('whisper').hidden = true;
    $('conversation').classList.remove('open');
    return;
  }
  state.current = id;
  const c = detail.conversation;
  state.conversations.set(c.id, c);
  renderConversation(c, detail.transcript);
  renderList();
}

function renderConversation(c, transcript) {
  const panel = $('conversation');
  const ended = c.state === 'ENDED';
  panel.classList.toggle('ended', ended);
  panel.classList.add('open');
  $('conversation-title').textContent = label(c);
  $('conversation-meta').textContent = ended
    ? (c.endReason === 'OPT_OUT' ? 'The customer opted out (STOP). You cannot text them.' : `Ended (${c.endReason.toLowerCase()})`)
    : `Open since ${time(c.openedAt)}`;
  const whisper = state.whispers.get(c.id) || (transcript.find((e) => e.direction === 'WHISPER') || {}).text;
  $('whisper').hidden = !whisper;
  $('whisper').textContent = whisper ? `Replying to what you wrote: “${whisper}”` : '';
  $('transcript').replaceChildren(...transcript.map(entry));
  $('reply-form').hidden = false;
  for (const e of $('reply-form').elements) e.disabled = ended;
  $('transcript').lastElementChild?.scrollIntoView({ block: 'nearest' });
}

function entry(e) {
  const who = { INBOUND: 'Customer', OUTBOUND: e.author || 'You', SYSTEM: 'System', WHISPER: 'Earlier (whisper)' };
  const li = el('li', { class: `msg ${e.direction.toLowerCase()}`, 'data-message-id': e.messageId || '' },
    el('span', { class: 'who' }, `${who[e.direction]} · ${time(e.at)}`),
    el('span', { class: 'text' }, e.text));
  if (e.direction === 'OUTBOUND' && e.messageId) li.append(tick(state.delivery.get(e.messageId) || 'SENT'));
  return li;
}

function tick(status) {
  const [mark, words] = TICKS[status] || TICKS.SENT;
  return el('span', { class: `tick ${words.replace(' ', '-')}`, role: 'img', 'aria-label': words, title: words }, mark);
}

async function reload() {
  if (state.current) await open(state.current);
}

$('reply-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const id = state.current;
  guarded(async () => {
    await api.send(id, $('reply').value);
    $('reply').value = '';
    await reload();
  });
});

for (const action of ['accept', 'release', 'end']) {
  $(action).addEventListener('click', () => guarded(async () => {
    await api.act(state.current, action);
    say(`Conversation ${action === 'end' ? 'ended' : action + 'd'}`);
    await refresh();
    await reload();
  }));
}

$('new-form').addEventListener('submit', (e) => {
  e.preventDefault();
  guarded(async () => {
    const key = crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random();
    const r = await api.originate($('from').value, $('to').value, $('first-text').value, key);
    $('first-text').value = '';
    $('to').value = '';
    await refresh();
    location.hash = `conversation=${r.conversationId}`;
    say('Message sent');
  });
});

// ------------------------------------------------------------------------------------------------ live events

function onEvent(type, data) {
  const c = data.conversation;
  if (c && type !== 'queued') state.conversations.set(c.id, c);
  switch (type) {
    case 'assigned':
      if (data.whisper) state.whispers.set(c.id, data.whisper);
      say(`New conversation with ${c.customer}`);
      {
        const shown = state.conversations.get(state.current);
        if (data.whisper && (!shown || shown.state === 'ENDED')) location.hash = `conversation=${c.id}`;
      }
      break;
    case 'message':
      say(`${c.customer}: ${data.text}`);
      break;
    case 'delivery':
      state.delivery.set(data.messageId, data.status);
      for (const li of document.querySelectorAll('#transcript li[data-message-id]')) {
        if (li.dataset.messageId === data.messageId) li.querySelector('.tick')?.replaceWith(tick(data.status));
      }
      return;
    case 'ended':
      say(c.endReason === 'OPT_OUT' ? `${c.customer} opted out` : `Conversation with ${c.customer} ended`);
      break;
    case 'lost': case 'expired':
      if (type === 'expired') signedOut();
      return;
    default:
      break;
  }
  renderList();
  background(async () => {
    await refresh();
    if (c && (c.id === state.current || (type === 'assigned' && data.whisper && state.current === c.id))) await reload();
  });
}

start();
