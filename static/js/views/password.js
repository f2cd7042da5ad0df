// Forgotten password: ask for a reset mail (#/forgot), then choose a new password with the
// mailed link (#/reset?token=...).

import { api } from "../api.js";
import { h, mount } from "../dom.js";
import { clearSession } from "../session.js";
import { busy, clearFieldErrors, field, invalid, showError } from "../ui.js";

/** #/forgot */
export function forgotView(root) {
  const errors = h("div", { class: "form-errors" });
  const form = h(
    "form",
    { class: "card narrow", novalidate: true, "aria-labelledby": "forgot-title" },
    h("h1", { id: "forgot-title" }, "Forgot your password?"),
    h("p", { class: "muted" }, "Enter the email address of your account and we will mail you a link to choose a new password."),
    errors,
    field("Email", { name: "email", type: "email", autocomplete: "email", required: true }),
    h("button", { type: "submit", class: "btn primary" }, "Send reset link"),
    h("p", { class: "muted" }, h("a", { href: "#/login" }, "Back to log in")),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    errors.replaceChildren();
    const email = form.email.value.trim();
    if (!/^\S+@\S+\.\S+$/.test(email)) {
      invalid(form, "email", "Enter a valid email address.");
      return;
    }
    await busy(form.querySelector("button[type=submit]"), async () => {
      try {
        await api("POST", "/auth/password/forgot", { body: { email }, auth: false });
        mount(
          form,
          h("h1", { id: "forgot-title" }, "Check your mail"),
          h("p", { role: "status", "data-testid": "forgot-sent" },
            `If an account uses ${email}, a link to reset its password is on its way. It works once, for 30 minutes.`),
          h("p", { class: "muted" }, h("a", { href: "#/login" }, "Back to log in")),
        );
      } catch (err) {
        showError(errors, err, form);
      }
    });
  });
  root.append(form);
}

/** #/reset?token=... */
export function resetView(root, _params, query) {
  const token = query.get("token") || "";
  const errors = h("div", { class: "form-errors" });
  const form = h(
    "form",
    { class: "card narrow", novalidate: true, "aria-labelledby": "reset-title" },
    h("h1", { id: "reset-title" }, "Set a new password"),
    errors,
    field("New password", { name: "password", type: "password", autocomplete: "new-password", required: true, minlength: 10 }, "At least 10 characters."),
    h("button", { type: "submit", class: "btn primary" }, "Set password"),
    h("p", { class: "muted" }, "Link expired? ", h("a", { href: "#/forgot" }, "Ask for a new one")),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    errors.replaceChildren();
    const password = form.password.value;
    if (password.length < 10) {
      invalid(form, "password", "Use at least 10 characters.");
      return;
    }
    await busy(form.querySelector("button[type=submit]"), async () => {
      try {
        await api("POST", "/auth/password/reset", { body: { token, password }, auth: false });
        clearSession(); // every session of the account has ended
        mount(
          form,
          h("h1", { id: "reset-title" }, "Password changed"),
          h("p", { role: "status", "data-testid": "reset-done" }, "Your new password is set, and every other session of your account was logged out."),
          h("p", {}, h("a", { href: "#/login", class: "btn primary" }, "Log in")),
        );
      } catch (err) {
        showError(errors, err, form);
      }
    });
  });
  root.append(form);
}
