// My queue: drag-and-drop reordering (mouse, or touch on the ⠿ handle), up/down/remove
// buttons for the keyboard, autodraft.

import { h, mount } from "../dom.js";
import { driverName, teamColor } from "../data.js";
import { keepFocus } from "./drivers.js";

/** Move item `from` to index `to` (returns a new array). */
export function moveItem(list, from, to) {
  const out = [...list];
  const [item] = out.splice(from, 1);
  out.splice(Math.max(0, Math.min(out.length, to)), 0, item);
  return out;
}

/** The panel; call `update(ctx)` after changes. */
export function queuePanel() {
  let ctx = null;
  let dragFrom = null;
  const list = h("ol", { class: "queue", tabindex: "-1", "data-testid": "queue", "aria-label": "My queue, first choice first" });
  const autodraft = h("input", { type: "checkbox", id: "autodraft", role: "switch" });
  autodraft.addEventListener("change", () => ctx.actions.setAutodraft(autodraft.checked));
  const element = h("section", { class: "card panel queue-panel", "aria-labelledby": "queue-title" },
    h("h2", { id: "queue-title" }, "My queue"),
    h("p", { class: "muted small" }, "Autopick takes your queue first. Drag ⠿ to reorder, or use the arrow buttons."),
    list,
    h("div", { class: "check" }, autodraft,
      h("label", { for: "autodraft" }, "Autodraft: pick for me as soon as I am on the clock")));

  function render() {
    const ids = ctx.queue.driver_ids;
    const taken = ctx.model.takenDriverIds();
    autodraft.checked = Boolean(ctx.queue.autodraft);
    keepFocus(list, () => mount(list, ids.length ? ids.map((id, i) => item(id, i, ids, taken))
      : h("li", { class: "muted empty" }, "Empty: add drivers with “+ Queue”.")));
  }

  function item(id, index, ids, taken) {
    const d = ctx.drivers.get(id);
    const name = driverName(d);
    const li = h("li", {
      class: `queue-item ${taken.has(id) ? "taken" : ""}`,
      draggable: "true",
      "data-driver-id": id,
      style: { "--team": teamColor(d) },
    },
    h("span", { class: "grip", "aria-hidden": "true", "data-testid": "queue-grip" }, "⠿"),
    h("span", { class: "swatch", "aria-hidden": "true" }),
    h("span", { class: "name" }, name, taken.has(id) ? h("span", { class: "muted small" }, " (taken)") : null),
    h("span", { class: "queue-buttons" },
      h("button", { type: "button", class: "icon", "data-key": `up-${id}`, disabled: index === 0, "aria-label": `Move ${name} up`, onclick: () => ctx.actions.setQueue(moveItem(ids, index, index - 1)) }, "↑"),
      h("button", { type: "button", class: "icon", "data-key": `down-${id}`, disabled: index === ids.length - 1, "aria-label": `Move ${name} down`, onclick: () => ctx.actions.setQueue(moveItem(ids, index, index + 1)) }, "↓"),
      h("button", { type: "button", class: "icon", "data-key": `remove-${id}`, "aria-label": `Remove ${name} from the queue`, onclick: () => ctx.actions.setQueue(ids.filter((x) => x !== id)) }, "✕")));
    touchDrag(li, li.querySelector(".grip"), index, ids);
    li.addEventListener("dragstart", (event) => {
      dragFrom = index;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", String(id));
      li.classList.add("dragging");
    });
    li.addEventListener("dragend", () => li.classList.remove("dragging"));
    li.addEventListener("dragover", (event) => {
      event.preventDefault();
      li.classList.add("drop-target");
    });
    li.addEventListener("dragleave", () => li.classList.remove("drop-target"));
    li.addEventListener("drop", (event) => {
      event.preventDefault();
      li.classList.remove("drop-target");
      if (dragFrom !== null && dragFrom !== index) ctx.actions.setQueue(moveItem(ids, dragFrom, index));
      dragFrom = null;
    });
    return li;
  }

  /** The ⠿ handle: drag by touch (or pen) to reorder; the mouse uses HTML drag and drop. */
  function touchDrag(li, grip, index, ids) {
    let target = null;
    const mark = (next) => {
      if (target) target.classList.remove("drop-target");
      target = next;
      if (target) target.classList.add("drop-target");
    };
    grip.addEventListener("pointerdown", (event) => {
      if (event.pointerType === "mouse") return;
      event.preventDefault();
      grip.setPointerCapture(event.pointerId);
      li.classList.add("dragging");
    });
    grip.addEventListener("pointermove", (event) => {
      if (!li.classList.contains("dragging") || event.pointerType === "mouse") return;
      const under = document.elementFromPoint(event.clientX, event.clientY);
      mark(under && under.closest(".queue-item") && list.contains(under) ? under.closest(".queue-item") : null);
    });
    const finish = (drop) => (event) => {
      if (!li.classList.contains("dragging") || event.pointerType === "mouse") return;
      li.classList.remove("dragging");
      const to = target ? [...list.children].indexOf(target) : -1;
      mark(null);
      if (drop && to >= 0 && to !== index) ctx.actions.setQueue(moveItem(ids, index, to));
    };
    grip.addEventListener("pointerup", finish(true));
    grip.addEventListener("pointercancel", finish(false));
  }

  return {
    element,
    update(next) {
      ctx = next;
      render();
    },
  };
}
