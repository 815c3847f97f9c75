// The login page: POST /api/v1/auth/login, then on to the page the user came from.
import { ApiError, config, forget, request, start } from "./api.js";

start(async () => {
  const form = document.getElementById("login-form");
  const error = document.getElementById("login-error");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      await request("POST", "/api/v1/auth/login", {
        username: form.elements.username.value,
        password: form.elements.password.value,
      });
      forget();
      window.location.assign(config().next || "/workbench");
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 429) {
        error.textContent = `Too many failed logins: ${failure.message}`;
      } else if (failure instanceof ApiError && failure.status === 401) {
        error.textContent = "Wrong user name or password, or the account is disabled.";
      } else {
        error.textContent = failure.message || String(failure);
      }
      form.elements.password.select();
    } finally {
      button.disabled = false;
    }
  });
});
