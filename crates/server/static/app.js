// The chat page: no framework, no build step. It streams replies from /api/chat/stream,
// keeps the session id in localStorage, and sends a fresh client_message_id with every
// message so a retry or a double click never does anything twice.
"use strict";

const SESSION_KEY = "scheduling-agent.session";
const TOKEN_KEY = "scheduling-agent.token";
const $ = (id) => document.getElementById(id);
const messages = $("messages"), input = $("input"), form = $("composer"), send = $("send");
const typing = $("typing"), errorBox = $("error"), statusBox = $("status");
let busy = false;

function token() {
  // An embedding portal may pass the customer's token in the URL fragment (#token=…).
  const match = location.hash.match(/token=([^&]+)/);
  if (match) {
    localStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
    history.replaceState(null, "", location.pathname);
  }
  return localStorage.getItem(TOKEN_KEY);
}

function headers() {
  const h = { "Content-Type": "application/json", "Accept": "text/event-stream" };
  const t = token();
  if (t) h.Authorization = "Bearer " + t;
  return h;
}

function newId() {
  return (crypto.randomUUID && crypto.randomUUID()) || String(Date.now()) + Math.random().toString(16).slice(2);
}

function scrollDown() { messages.scrollTop = messages.scrollHeight; }

function bubble(role, text) {
  const div = document.createElement("div");
  div.className = "message " + role;
  div.textContent = text;
  messages.appendChild(div);
  scrollDown();
  return div;
}

// "2025-11-04" → "Tue, Nov 4"; "13:00" → "1:00 PM" (the customer's own locale).
function shortDate(iso) {
  const d = new Date(iso + "T12:00:00");
  return isNaN(d) ? iso : d.toLocaleDateString(undefined, { weekday: "short", month: "short", day: "numeric" });
}
function shortTime(hhmm) {
  const [h, m] = hhmm.split(":").map(Number);
  if (isNaN(h)) return hhmm;
  return (h % 12 || 12) + ":" + String(m || 0).padStart(2, "0") + (h < 12 ? " AM" : " PM");
}

// Buttons carry the turn of the reply they are under, so the server can tell an old "Yes"
// from an answer to the question now open.
function addExtras(div, quickReplies, links, turn, appointments) {
  if (appointments && appointments.length) {
    for (const a of appointments) {
      const card = document.createElement("div");
      card.className = "success";
      card.setAttribute("role", "status");
      const what = { booked: "Booked", rescheduled: "Rescheduled", cancelled: "Cancelled" }[a.kind] || "Done";
      const when = [a.date && shortDate(a.date), a.time && shortTime(a.time)].filter(Boolean).join(", ");
      card.textContent = "\u2713 " + what + (when && a.kind !== "cancelled" ? " \u2014 " + when : "") + " \u00b7 Confirmation code ";
      const code = document.createElement("strong");
      code.className = "code";
      code.textContent = a.confirmation_code;
      card.appendChild(code);
      div.appendChild(card);
    }
  }
  if (links && links.length) {
    const box = document.createElement("div");
    box.className = "links";
    for (const link of links) {
      const a = document.createElement("a");
      a.href = link.url; a.textContent = link.label; a.target = "_blank"; a.rel = "noopener noreferrer";
      box.appendChild(a);
    }
    div.appendChild(box);
  }
  if (quickReplies && quickReplies.length) {
    const box = document.createElement("div");
    box.className = "quick-replies";
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Suggested replies");
    for (const q of quickReplies) {
      const b = document.createElement("button");
      b.type = "button"; b.className = "quick-reply"; b.textContent = q.label;
      b.addEventListener("click", () => { if (!busy) { b.classList.add("chosen"); sendMessage(q.value, q.label, turn); } });
      box.appendChild(b);
    }
    div.appendChild(box);
  }
  scrollDown();
}

// Once anything is sent, the buttons shown so far are answered.
function closeButtons() {
  for (const b of messages.querySelectorAll(".quick-reply:not([disabled])")) {
    b.disabled = true;
    b.setAttribute("aria-disabled", "true");
  }
}

function showError(text) {
  errorBox.textContent = text;
  errorBox.hidden = !text;
}

function setBusy(on) {
  busy = on;
  send.disabled = on;
  typing.hidden = !on;
  if (on) scrollDown();
}

async function sendMessage(text, shown, replyTo) {
  text = (text || "").trim();
  if (!text || busy) return;
  showError("");
  closeButtons();
  bubble("user", shown || text);
  setBusy(true);
  const body = { message: text, client_message_id: newId() };
  if (typeof replyTo === "number") body.reply_to = replyTo;
  const session = localStorage.getItem(SESSION_KEY);
  if (session) body.session_id = session;
  let reply = null;
  try {
    let response = await fetch("/api/chat/stream", { method: "POST", headers: headers(), body: JSON.stringify(body) });
    if (response.status === 404 && session) {
      // The session is gone (or not ours): start a new one and say it again.
      localStorage.removeItem(SESSION_KEY);
      delete body.session_id;
      response = await fetch("/api/chat/stream", { method: "POST", headers: headers(), body: JSON.stringify(body) });
    }
    if (!response.ok) {
      const problem = await response.json().catch(() => null);
      throw new Error((problem && problem.error && problem.error.message) || "The assistant is unavailable (" + response.status + ").");
    }
    reply = bubble("assistant", "");
    await readEvents(response, reply);
  } catch (err) {
    if (reply && !reply.textContent) reply.remove();
    showError(navigator.onLine ? err.message : "You appear to be offline. Your message was not sent.");
  } finally {
    setBusy(false);
    input.focus();
  }
}

async function readEvents(response, reply) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const raw = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let event = "message", data = "";
      for (const line of raw.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data += line.slice(5).replace(/^ /, "");
      }
      if (event === "session") localStorage.setItem(SESSION_KEY, data);
      else if (event === "delta") { reply.textContent += JSON.parse(data); scrollDown(); }
      else if (event === "done") {
        const full = JSON.parse(data);
        reply.textContent = full.response;
        addExtras(reply, full.quick_replies, full.links, full.turn, full.appointments);
      }
    }
  }
}

function welcome() {
  const div = bubble("assistant", "Hi! I can help you schedule, reschedule or cancel an installation appointment, check on your projects, and leave notes for the crew. What would you like to do?");
  addExtras(div, [
    { label: "Schedule appointment", value: "I want to schedule an appointment" },
    { label: "View projects", value: "show my projects" },
    { label: "Check availability", value: "what dates are available?" },
  ], []);
}

async function restore() {
  const session = localStorage.getItem(SESSION_KEY);
  if (!session) return welcome();
  try {
    const response = await fetch("/api/sessions/" + encodeURIComponent(session) + "/messages", { headers: headers() });
    if (!response.ok) throw new Error();
    const data = await response.json();
    if (!data.messages.length) return welcome();
    let last = null;
    for (const m of data.messages) last = bubble(m.role === "customer" ? "user" : "assistant", m.text);
    // The last reply's buttons and links, as they were before the reload.
    const extras = data.last_reply;
    if (extras && last && last.classList.contains("assistant")) {
      addExtras(last, extras.quick_replies, extras.links, extras.turn, extras.appointments);
    }
  } catch (_) {
    localStorage.removeItem(SESSION_KEY);
    welcome();
  }
}

function grow() {
  input.style.height = "auto";
  input.style.height = Math.min(input.scrollHeight, 144) + "px";
}

function online() {
  const on = navigator.onLine;
  statusBox.textContent = on ? "Online" : "Offline";
  statusBox.className = "status " + (on ? "online" : "offline");
}

form.addEventListener("submit", (e) => { e.preventDefault(); const t = input.value; input.value = ""; grow(); sendMessage(t); });
input.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); form.requestSubmit(); }
});
input.addEventListener("input", grow);
$("new-chat").addEventListener("click", () => { localStorage.removeItem(SESSION_KEY); messages.textContent = ""; showError(""); welcome(); input.focus(); });
window.addEventListener("online", online);
window.addEventListener("offline", online);

fetch("/api/config").then((r) => r.json()).then((c) => {
  if (c.demo) {
    const banner = $("demo-banner");
    banner.textContent = "Demo mode: you are chatting as " + c.demo_customer + ", a demo customer, against sample data. Nothing here is real.";
    banner.hidden = false;
  }
}).catch(() => {});
online();
restore();
input.focus();
