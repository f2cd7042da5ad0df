// Shared UI pieces: error boxes, form fields, toasts, loading states.

import { fieldErrors } from "./api.js";
import { h, mount } from "./dom.js";

/** An alert box for an ApiError (or any Error), listing field details of validation errors. */
export function errorBox(error) {
  // a field's message that only repeats the error is shown at the field, not listed again
  const fields = fieldErrors(error).filter((f) => f.message && f.message !== error.message);
  return h(
    "div",
    { class: "alert error", role: "alert" },
    h("strong", {}, error.message || "Something went wrong."),
    fields.length
      ? h("ul", { class: "field-errors" },
        fields.map((f) => h("li", {}, f.field ? h("code", {}, prettyField(f.field)) : null, f.field ? ": " : "", f.message)))
      : null,
  );
}

function prettyField(field) {
  return field.replace(/^body\./, "");
}

/** Show `error` in `slot` (an element) and mark matching inputs of `form` invalid. */
export function showError(slot, error, form = null) {
  mount(slot, errorBox(error));
  if (!form) return;
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  for (const { field, message } of fieldErrors(error)) {
    const name = prettyField(field).split(".").pop();
    const input = form.querySelector(`[name="${CSS.escape(name)}"]`);
    if (input) {
      input.setAttribute("aria-invalid", "true");
      const hint = form.querySelector(`#${CSS.escape(input.id)}-error`);
      if (hint) hint.textContent = message;
    }
  }
}

/** A labelled input: field("Username", {name: "username", required: true}). */
export function field(label, attrs, help = "") {
  const id = attrs.id || `f-${attrs.name}`;
  const control = attrs.tag === "select"
    ? h("select", { ...attrs, tag: null, options: null, id, "aria-describedby": `${id}-error` },
      (attrs.options || []).map(([value, text]) => h("option", { value, selected: String(value) === String(attrs.value) }, text)))
    : h("input", { ...attrs, tag: null, id, "aria-describedby": `${id}-help ${id}-error` });
  return h(
    "div",
    { class: "field" },
    h("label", { for: id }, label),
    control,
    help ? h("small", { id: `${id}-help`, class: "help" }, help) : null,
    h("small", { id: `${id}-error`, class: "field-error", "aria-live": "polite" }),
  );
}

/** Clear per-field messages of a form. */
export function clearFieldErrors(form) {
  for (const el of form.querySelectorAll(".field-error")) el.textContent = "";
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
}

/** Mark one input invalid with a message (client-side validation). */
export function invalid(form, name, message) {
  const input = form.querySelector(`[name="${CSS.escape(name)}"]`);
  if (!input) return;
  input.setAttribute("aria-invalid", "true");
  const hint = form.querySelector(`#${CSS.escape(input.id)}-error`);
  if (hint) hint.textContent = message;
}

/** A short message in the toast area (announced to screen readers). */
export function toast(message, kind = "info", ms = 5000) {
  const area = document.getElementById("toasts");
  if (!area) return;
  const item = h("div", { class: `toast ${kind}`, role: kind === "error" ? "alert" : "status" }, message);
  area.append(item);
  setTimeout(() => item.remove(), ms);
}

/** A placeholder while a page loads. */
export function loading(text = "Loading…") {
  return h("p", { class: "muted", role: "status" }, text);
}

/** Run `fn` with `button` disabled (and busy) until it settles. */
export async function busy(button, fn) {
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  try {
    return await fn();
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
  }
}

/** Copy text to the clipboard, falling back to a selected text field. */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = h("textarea", { style: { position: "fixed", opacity: "0" } }, text);
    document.body.append(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  }
}
