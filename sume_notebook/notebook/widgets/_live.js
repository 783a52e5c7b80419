// A job's live status row (see _live.py): the pill, the bar, "elapsed · percent" and the masked job id, drawn here
// every second from the row's state on the shared board, so the kernel sends nothing while the job is quiet.
// The clock and the estimate mirror Python's `format_duration` and `_progress.estimate`.

const TICK_MS = 1000; // the clock shows whole seconds
const WIDGET_REF = "IPY_MODEL_";

function clock(seconds) {
  const whole = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const secs = String(whole % 60).padStart(2, "0");
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${secs}` : `${minutes}:${secs}`;
}

function estimate(elapsed, typical, ceiling) {
  return ceiling * (1 - Math.exp(-Math.max(0, elapsed) / typical));
}

async function render({ model, el }) {
  const board = await model.widget_manager.get_model(model.get("board").slice(WIDGET_REF.length));
  const key = model.get("key");
  el.classList.add("sume-live");
  el.innerHTML =
    '<span class="sume-live-pill"></span><span class="sume-live-track"><span class="sume-live-bar"></span></span>' +
    '<span class="sume-live-info"></span><span class="sume-live-caption"></span>';
  const [pill, track, info, caption] = el.children;
  caption.textContent = model.get("caption");
  const bar = track.firstElementChild;
  let shown = 0; // the bar never moves backwards
  let phase = null;
  let skew = 0; // this browser's clock minus the kernel's, measured when a change arrives

  const draw = () => {
    const cell = board.get("cells")[key];
    if (!cell) return;
    if (cell.phase !== phase) {
      phase = cell.phase;
      pill.innerHTML = board.get("pills")[phase] || "";
      el.dataset.phase = phase;
    }
    const curve = board.get("curve");
    const elapsed = cell.elapsed ?? Date.now() / 1000 - skew - cell.started;
    const estimated = cell.reported === null && !cell.completed;
    const reported = estimated ? estimate(elapsed, cell.typical, curve.ceiling) : cell.reported;
    const fraction = cell.completed ? 1 : Math.min(reported, curve.cap);
    shown = Math.max(shown, fraction);
    bar.style.width = `${(shown * 100).toFixed(1)}%`;
    bar.dataset.style = cell.style;
    const percent = `${estimated ? "~" : ""}${Math.round(shown * 100)}%`;
    info.textContent = `${clock(elapsed)} · ${cell.activity || percent}`;
  };
  const changed = () => {
    skew = Date.now() / 1000 - board.get("now");
    draw();
  };
  board.on("change:cells", changed);
  draw();
  requestAnimationFrame(() => bar.classList.add("sume-live-moving"));
  const timer = setInterval(draw, TICK_MS);
  return () => {
    clearInterval(timer);
    board.off("change:cells", changed);
  };
}

export default { render };
