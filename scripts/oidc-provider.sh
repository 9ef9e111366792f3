#!/usr/bin/env bash
# Installs the OpenID Connect provider the single sign-on tests sign in with (PyPI
# oidc-provider-mock, on loopback) into target/ when missing, and prints its program's path.
# The HTTP tests start it themselves (LIGHTPATH_TEST_OIDC_PROVIDER names the program).
set -euo pipefail
cd "$(dirname "$0")/.."

OIDC_PROVIDER_MOCK_VERSION=0.3.4
venv=target/oidc-provider-venv
if ! "$venv/bin/pip" show oidc-provider-mock 2>/dev/null | grep -q "^Version: $OIDC_PROVIDER_MOCK_VERSION$"; then
  echo "[install] oidc-provider-mock $OIDC_PROVIDER_MOCK_VERSION (PyPI) into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "oidc-provider-mock==$OIDC_PROVIDER_MOCK_VERSION" >&2
fi
echo "$PWD/$venv/bin/oidc-provider-mock"
