// Passkeys in the browser: the one script of the portal's that is not the Leptos bundle.
// `navigator.credentials` speaks ArrayBuffers, which the wasm bundle would need a large slice
// of web-sys for; this small file, loaded only by the pages with a passkey button, does it.
//
// A form `data-passkey="register|second-step|confirm"` submitted, or a button with that
// attribute clicked (inside the password form, "sign-in"), starts a ceremony: the server's
// options (`POST /passkeys/{kind}/options`), the device (`create()` or `get()`), the device's
// answer back (`POST /passkeys/{kind}`). The form's `[data-passkey-status]` says what went
// wrong; a sign-in moves on to the page the server names, the others reload.
(() => {
  if (window.lightpathPasskeys) return;
  window.lightpathPasskeys = true;

  const decode = (text) => {
    const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    const binary = atob(base64 + "===".slice((base64.length + 3) % 4));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0)).buffer;
  };
  const encode = (buffer) =>
    btoa(String.fromCharCode(...new Uint8Array(buffer)))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "");

  class Refusal extends Error {}

  const post = async (url, body) => {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
    });
    if (response.status === 204) return null;
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      const field = answer.errors && answer.errors[0];
      throw new Refusal((field && field.message) || answer.detail || "Lightpath could not do that. Try again.");
    }
    return answer;
  };

  const creationOptions = ({ publicKey }) => ({
    publicKey: {
      ...publicKey,
      challenge: decode(publicKey.challenge),
      user: { ...publicKey.user, id: decode(publicKey.user.id) },
      excludeCredentials: (publicKey.excludeCredentials || []).map((c) => ({ ...c, id: decode(c.id) })),
    },
  });
  const requestOptions = ({ publicKey }) => ({
    publicKey: {
      ...publicKey,
      challenge: decode(publicKey.challenge),
      allowCredentials: (publicKey.allowCredentials || []).map((c) => ({ ...c, id: decode(c.id) })),
    },
  });

  const created = (credential) => ({
    id: credential.id,
    rawId: encode(credential.rawId),
    type: credential.type,
    extensions: credential.getClientExtensionResults(),
    response: {
      attestationObject: encode(credential.response.attestationObject),
      clientDataJSON: encode(credential.response.clientDataJSON),
      transports: credential.response.getTransports ? credential.response.getTransports() : undefined,
    },
  });
  const asserted = (credential) => ({
    id: credential.id,
    rawId: encode(credential.rawId),
    type: credential.type,
    extensions: credential.getClientExtensionResults(),
    response: {
      authenticatorData: encode(credential.response.authenticatorData),
      clientDataJSON: encode(credential.response.clientDataJSON),
      signature: encode(credential.response.signature),
      userHandle: credential.response.userHandle ? encode(credential.response.userHandle) : null,
    },
  });

  const deviceProblem = (error, kind) => {
    if (error instanceof Refusal) return error.message;
    if (error && error.name === "InvalidStateError") return "This device already holds a passkey for your account.";
    if (error && error.name === "NotAllowedError") {
      return kind === "register"
        ? "No passkey was made: the request was cancelled or timed out. Try again."
        : "No passkey answered: the request was cancelled or timed out, or this device has no passkey for this account.";
    }
    return "Your browser could not use a passkey here. Sign in another way, or try another browser.";
  };

  const field = (scope, name) => {
    const input = scope.querySelector(`[name="${name}"]`);
    return input ? input.value : "";
  };

  const run = async (kind, button, scope) => {
    const status = scope.querySelector("[data-passkey-status]");
    const say = (message) => {
      if (!status) return;
      status.textContent = message;
      status.hidden = !message;
      status.classList.toggle("form-problem", !!message);
    };
    if (!window.PublicKeyCredential || !navigator.credentials) {
      say("This browser cannot use passkeys. Sign in another way, or try another browser.");
      return;
    }
    const label = button.textContent;
    button.disabled = true;
    button.textContent = "Waiting for your passkey…";
    say("");
    try {
      const body = kind === "register" ? { name: field(scope, "name") } : kind === "sign-in" ? { email: field(scope, "email") } : {};
      const { ceremony, options } = await post(`/passkeys/${kind}/options`, body);
      const credential =
        kind === "register"
          ? created(await navigator.credentials.create(creationOptions(options)))
          : asserted(await navigator.credentials.get(requestOptions(options)));
      const answer = await post(`/passkeys/${kind}`, { ceremony, credential, next: field(scope, "next") });
      if (answer && answer.redirect) {
        window.location.assign(answer.redirect);
      } else {
        window.location.reload();
      }
    } catch (error) {
      say(deviceProblem(error, kind));
      button.disabled = false;
      button.textContent = label;
    }
  };

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-passkey]");
    if (!button) return;
    event.preventDefault();
    run(button.dataset.passkey, button, button.closest("form, section") || document);
  });
  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-passkey]");
    if (!form) return;
    event.preventDefault();
    const button = form.querySelector("button");
    if (button && !button.disabled) run(form.dataset.passkey, button, form);
  });
})();
