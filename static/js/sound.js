// A short WebAudio beep for "your turn" (browsers allow audio only after a user gesture).

let context = null;
const KEY = "draftroom.sound";

export function soundEnabled() {
  return localStorage.getItem(KEY) !== "off";
}

export function setSoundEnabled(on) {
  localStorage.setItem(KEY, on ? "on" : "off");
}

function unlock() {
  const Ctx = window.AudioContext || window.webkitAudioContext;
  if (!Ctx) return;
  if (!context) context = new Ctx();
  if (context.state === "suspended") context.resume();
}
window.addEventListener("pointerdown", unlock, { passive: true });
window.addEventListener("keydown", unlock);

/** Two rising beeps (no-op when muted or audio is not unlocked yet). */
export function beep() {
  if (!soundEnabled() || !context || context.state !== "running") return;
  const now = context.currentTime;
  [[880, 0], [1175, 0.18]].forEach(([freq, at]) => {
    const osc = context.createOscillator();
    const gain = context.createGain();
    osc.type = "sine";
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, now + at);
    gain.gain.exponentialRampToValueAtTime(0.25, now + at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + at + 0.15);
    osc.connect(gain).connect(context.destination);
    osc.start(now + at);
    osc.stop(now + at + 0.16);
  });
}
