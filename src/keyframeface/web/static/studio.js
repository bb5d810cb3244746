// keyframeface studio: the page half of the studio. No build step, no dependencies.
// The face images come from /api/animations/{id}/frames/{n}.jpg, drawn by the same rig as the previews.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { result: null, curves: null, frame: 0, playing: false, images: [], timer: null, t0: 0, f0: 0,
  head: null };
window.studio = state; // for tests and the curious

async function api(method, url, body) {
  const res = await fetch(url, {
    method, headers: body ? { "Content-Type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await res.json().catch(() => ({ error: `HTTP ${res.status}` }));
  if (!res.ok) throw new Error(data.error || `HTTP ${res.status}`);
  return data;
}

function showError(message) {
  $("error").hidden = !message;
  $("error").textContent = message || "";
}

async function animate() {
  showError("");
  const background = $("background").value.trim() || $("background").placeholder;
  const emotion = $("emotion").value.trim() || $("emotion").placeholder;
  const body = { background, emotion, fps: Number($("fps").value) || 30, seed: Number($("seed").value) || 0 };
  $("status").textContent = "animating…";
  $("animate").disabled = true;
  try {
    const result = await api("POST", "/api/animate", body);
    await load(result);
    $("status").textContent = `${state.result.keyframes.length} keyframes, ${state.result.frames} frames`;
    if (state.result === result) play(); // watch what was just made, without pressing Play
  } catch (err) {
    showError(err.message);
    $("status").textContent = "";
  } finally {
    $("animate").disabled = false;
  }
}

async function load(result, keepFrame = false) {
  stop();
  state.result = result;
  state.images = new Array(result.frames);
  renderCards(); // the keyframe faces first: they are what an edit changes
  const curves = api("GET", result.values_url);
  for (const [kind, url] of Object.entries(result.files)) {
    const a = $(`dl-${kind}`);
    if (a) { a.href = url; a.setAttribute("download", url.split("/").pop()); }
  }
  $("player").hidden = false;
  $("scrubber").max = result.frames - 1;
  state.curves = await curves;
  if (state.result !== result) return; // a newer result arrived meanwhile
  seek(keepFrame ? Math.min(state.frame, result.frames - 1) : 0);
  setTimeout(preload, 150); // the rest of the frames, after the visible ones
}

function frameUrl(n) {
  return state.result.frame_url.replace("{n}", String(n));
}

function preload() {
  // Fetch every frame once in the background so playback never waits on the network.
  const id = state.result.id;
  let next = 0;
  const pump = () => {
    if (!state.result || state.result.id !== id || next >= state.result.frames) return;
    const n = next++;
    if (!state.images[n]) {
      const img = new Image();
      img.onload = pump;
      img.onerror = pump;
      img.src = frameUrl(n);
      state.images[n] = img;
    } else pump();
  };
  for (let i = 0; i < 4; i++) pump();
}

function seek(n) {
  state.frame = n;
  $("face").src = frameUrl(n);
  $("scrubber").value = n;
  $("time").textContent = `${(n / state.result.fps).toFixed(2)} s`;
  if (state.head && state.curves) state.head.pose(state.curves.values[n]);
  const keys = state.result.keyframes;
  let current = -1;
  keys.forEach((k, i) => { if (k.frame <= n) current = i; });
  document.querySelectorAll(".card").forEach((c, i) => c.classList.toggle("current", i === current));
  drawCurves();
}

function tick() {
  if (!state.playing) return;
  const r = state.result;
  const n = state.f0 + Math.floor(((performance.now() - state.t0) / 1000) * r.fps);
  if (n >= r.frames) { seek(r.frames - 1); stop(); return; }
  if (n !== state.frame) seek(n);
  state.timer = requestAnimationFrame(tick);
}

function play() {
  if (!state.result) return;
  if (state.frame >= state.result.frames - 1) seek(0);
  state.playing = true;
  state.t0 = performance.now();
  state.f0 = state.frame;
  $("play").textContent = "Pause";
  if ($("stream").checked) {
    const body = { id: state.result.id, start_frame: state.frame, host: $("stream-host").value,
      protocol: $("protocol").value };
    if ($("stream-port").value) body.port = Number($("stream-port").value);
    api("POST", "/api/stream", body).catch((e) => showError(e.message));
  }
  state.timer = requestAnimationFrame(tick);
}

function stop() {
  const wasPlaying = state.playing;
  state.playing = false;
  if (state.timer) cancelAnimationFrame(state.timer);
  $("play").textContent = "Play";
  if (wasPlaying && $("stream").checked) api("DELETE", "/api/stream").catch(() => {});
}

const PALETTE = ["#1a73e8", "#d93025", "#188038", "#f9ab00", "#9334e6", "#e8710a", "#12b5cb", "#c5221f"];

function drawCurves() {
  const canvas = $("curves"), ctx = canvas.getContext("2d");
  const c = state.curves, r = state.result;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (!c) return;
  const n = c.values.length, W = canvas.width, H = canvas.height, pad = 16;
  // The most active channels (largest range over the take), at most eight.
  const ranges = c.channels.map((name, j) => {
    let lo = Infinity, hi = -Infinity;
    for (const row of c.values) { lo = Math.min(lo, row[j]); hi = Math.max(hi, row[j]); }
    return [hi - lo, j];
  }).sort((a, b) => b[0] - a[0]).slice(0, 8).filter((x) => x[0] > 0.02);
  const x = (i) => pad + (i / Math.max(1, n - 1)) * (W - 2 * pad);
  const y = (v) => H - pad - ((v + 1) / 2) * (H - 2 * pad) * 1.0;
  const y01 = (v) => H - pad - v * (H - 2 * pad);
  ctx.strokeStyle = "#ddd";
  ctx.beginPath(); ctx.moveTo(pad, y01(0)); ctx.lineTo(W - pad, y01(0)); ctx.stroke();
  for (const k of r.keyframes) {
    ctx.strokeStyle = "#bbb"; ctx.setLineDash([3, 3]);
    ctx.beginPath(); ctx.moveTo(x(k.frame), pad); ctx.lineTo(x(k.frame), H - pad); ctx.stroke();
    ctx.setLineDash([]);
  }
  ctx.font = "11px system-ui";
  ranges.forEach(([, j], s) => {
    const signed = j >= 52;
    ctx.strokeStyle = PALETTE[s % PALETTE.length];
    ctx.beginPath();
    c.values.forEach((row, i) => {
      const v = signed ? y(row[j]) : y01(row[j]);
      if (i === 0) ctx.moveTo(x(i), v); else ctx.lineTo(x(i), v);
    });
    ctx.stroke();
    ctx.fillStyle = ctx.strokeStyle;
    ctx.fillText(c.channels[j], W - pad - 130, pad + 12 * (s + 1));
  });
  ctx.strokeStyle = "#000";
  ctx.beginPath(); ctx.moveTo(x(state.frame), 0); ctx.lineTo(x(state.frame), H); ctx.stroke();
}

function renderCards() {
  const box = $("cards");
  box.textContent = "";
  const tpl = $("card-template");
  state.result.keyframes.forEach((k, i) => {
    const card = tpl.content.firstElementChild.cloneNode(true);
    card.dataset.index = i;
    card.querySelector(".title").textContent = `Keyframe ${i + 1}`;
    card.querySelector(".when").textContent = `at ${k.time.toFixed(2)} s`;
    card.querySelector(".thumb").src = frameUrl(k.frame) + "?size=128";
    card.querySelector(".description").value = k.description;
    card.querySelector(".hold").value = k.hold.toFixed(2);
    card.querySelector(".duration").value = k.duration.toFixed(2);
    const ul = card.querySelector(".why ul");
    for (const e of k.explanation) {
      const li = document.createElement("li");
      li.innerHTML = `<code></code> ${e.value >= 0 ? "+" : ""}${e.value.toFixed(2)} ← <span class="w"></span> <span class="k"></span>`;
      li.querySelector("code").textContent = e.channel;
      li.querySelector(".w").textContent = `"${e.words}"`;
      li.querySelector(".k").textContent = `(${e.kind}: ${e.rule})`;
      ul.appendChild(li);
    }
    for (const w of k.warnings) {
      const li = document.createElement("li");
      li.textContent = `warning: ${w}`;
      ul.appendChild(li);
    }
    card.querySelector(".thumb").addEventListener("click", () => { stop(); seek(k.frame); });
    card.querySelector(".repose").addEventListener("click", () => repose(i, card));
    box.appendChild(card);
  });
}

async function repose(index, card) {
  showError("");
  const body = { description: card.querySelector(".description").value };
  const hold = parseFloat(card.querySelector(".hold").value);
  const duration = parseFloat(card.querySelector(".duration").value);
  if (!Number.isNaN(hold)) body.hold = hold;
  if (!Number.isNaN(duration)) body.duration = duration;
  card.classList.add("busy");
  try {
    const result = await api("POST", `/api/animations/${state.result.id}/keyframes/${index}`, body);
    state.frame = result.keyframes[index].frame;
    await load(result, true);
    $("status").textContent = `keyframe ${index + 1} re-posed`;
  } catch (err) {
    showError(err.message);
    card.classList.remove("busy");
  }
}

async function startHead() {
  // The 3D view appears when three.js and facecap.glb are there (they ship in the package; /api/info says).
  const info = await api("GET", "/api/info");
  if (!info.head3d) return;
  const canvas = $("head3d");
  const { createHead } = await import("/static/head3d.js");
  state.head = await createHead(canvas, info.channels);
  canvas.hidden = false;
  $("credits").hidden = false;
  if (state.curves) state.head.pose(state.curves.values[state.frame]);
}

let liveTimer = null;

async function toggleLive(on) {
  showError("");
  clearInterval(liveTimer);
  try {
    if (on) {
      const body = { host: $("live-host").value, protocol: $("live-protocol").value,
        background: $("background").value.trim(), emotion: $("emotion").value.trim() };
      if ($("live-port").value) body.port = Number($("live-port").value);
      await api("POST", "/api/live", body);
      $("live-face").hidden = false;
      liveTimer = setInterval(() => { $("live-face").src = `/api/live/face.jpg?size=192&t=${Date.now()}`; }, 100);
    } else {
      await api("DELETE", "/api/live");
      $("live-face").hidden = true;
    }
    $("say").disabled = $("say-button").disabled = !on;
  } catch (err) {
    showError(err.message);
    $("live").checked = false;
  }
}

async function say() {
  const line = $("say").value.trim();
  if (!line) return;
  try {
    await api("POST", "/api/live/say", { line });
    $("say").value = "";
  } catch (err) {
    showError(err.message);
  }
}

$("live").addEventListener("change", (e) => toggleLive(e.target.checked));
$("say-button").addEventListener("click", say);
$("say").addEventListener("keydown", (e) => { if (e.key === "Enter") say(); });
startHead().catch((err) => console.warn(`3D head off: ${err.message}`));
$("animate").addEventListener("click", animate);
$("play").addEventListener("click", () => (state.playing ? stop() : play()));
$("scrubber").addEventListener("input", (e) => { stop(); seek(Number(e.target.value)); });
$("stream").addEventListener("change", (e) => { if (!e.target.checked) api("DELETE", "/api/stream").catch(() => {}); });
