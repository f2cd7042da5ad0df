// Sign up, log in and log out.

import { api } from "../api.js";
import { h } from "../dom.js";
import { navigate } from "../router.js";
import { clearSession, refreshToken, setCurrentUser, setTokens } from "../session.js";
import { busy, clearFieldErrors, field, invalid, showError } from "../ui.js";

function nextPath(query) {
  const next = query.get("next");
  return next && next.startsWith("/") && !next.startsWith("/login") ? next : "/leagues";
}

async function signIn(username, password) {
  const pair = await api("POST", "/auth/login", { body: { username, password }, auth: false });
  setCurrentUser(null);
  setTokens(pair);
  setCurrentUser(await api("GET", "/users/me"));
}

/** #/login */
export function loginView(root, _params, query) {
  const errors = h("div", { class: "form-errors" });
  const form = h(
    "form",
    { class: "card narrow", novalidate: true, "aria-labelledby": "login-title" },
    h("h1", { id: "login-title" }, "Log in"),
    errors,
    field("Username or email", { name: "username", autocomplete: "username", required: true }),
    field("Password", { name: "password", type: "password", autocomplete: "current-password", required: true }),
    h("button", { type: "submit", class: "btn primary" }, "Log in"),
    h("p", { class: "muted" }, h("a", { href: "#/forgot" }, "Forgot your password?")),
    h("p", { class: "muted" }, "No account yet? ", h("a", { href: "#/signup" }, "Sign up")),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    errors.replaceChildren();
    const username = form.username.value.trim();
    const password = form.password.value;
    if (!username) invalid(form, "username", "Enter your username or email.");
    if (!password) invalid(form, "password", "Enter your password.");
    if (!username || !password) return;
    await busy(form.querySelector("button[type=submit]"), async () => {
      try {
        await signIn(username, password);
        navigate(nextPath(query));
      } catch (err) {
        showError(errors, err, form);
      }
    });
  });
  root.append(form);
}

/** #/signup */
export function signupView(root, _params, query) {
  const errors = h("div", { class: "form-errors" });
  const form = h(
    "form",
    { class: "card narrow", novalidate: true, "aria-labelledby": "signup-title" },
    h("h1", { id: "signup-title" }, "Create your account"),
    errors,
    field("Username", { name: "username", autocomplete: "username", required: true, minlength: 3, maxlength: 32 }, "3 to 32 letters, digits, dots, dashes or underscores."),
    field("Email", { name: "email", type: "email", autocomplete: "email", required: true }),
    field("Password", { name: "password", type: "password", autocomplete: "new-password", required: true, minlength: 10 }, "At least 10 characters."),
    h("button", { type: "submit", class: "btn primary" }, "Sign up"),
    h("p", { class: "muted" }, "Already registered? ", h("a", { href: "#/login" }, "Log in")),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    errors.replaceChildren();
    const username = form.username.value.trim();
    const email = form.email.value.trim();
    const password = form.password.value;
    let ok = true;
    if (!/^[A-Za-z0-9_.-]{3,32}$/.test(username)) ok = !!invalid(form, "username", "Use 3 to 32 letters, digits, '_', '.' or '-'.");
    if (!/^\S+@\S+\.\S+$/.test(email)) ok = !!invalid(form, "email", "Enter a valid email address.");
    if (password.length < 10) ok = !!invalid(form, "password", "Use at least 10 characters.");
    if (!ok) return;
    await busy(form.querySelector("button[type=submit]"), async () => {
      try {
        await api("POST", "/auth/register", { body: { username, email, password }, auth: false });
        await signIn(username, password);
        navigate(nextPath(query));
      } catch (err) {
        showError(errors, err, form);
      }
    });
  });
  root.append(form);
}

/** Revoke the refresh family and forget the tokens. */
export async function logout() {
  const token = refreshToken();
  try {
    if (token) await api("POST", "/auth/logout", { body: { refresh_token: token } });
  } catch {
    // the local session is cleared anyway
  }
  clearSession();
  navigate("/login");
}
