# Gitpod Classic workspace image. Gitpod Classic stopped serving normal users in October 2025;
# this file stays for self-hosted / enterprise installations. Today's Gitpod (Ona), Codespaces,
# VS Code and DevPod use .devcontainer/ instead (see docs/workspaces.md).
#
# Pinned to a dated tag: a floating tag would change the workspace under the course.
# (2025-11-14-10-05-32 is the newest dated tag we found referenced; check
# https://hub.docker.com/r/gitpod/workspace-full/tags before moving it.)
FROM gitpod/workspace-full:2025-11-14-10-05-32

USER root
# qemu-user-static: arm binaries can run in user space (the rootless engine cannot register
# binfmt entries, so multi-platform builds still do not work here; see docs/workspaces.md).
# The dated workspace-full tag fixes its Docker CLI plugins too: buildx, and Compose v2 (`docker compose`,
# the compose example); the build fails here if either is missing.
# Google Chrome: marp-cli needs a Chrome/Chromium for PDF export (Ubuntu's chromium is a snap).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends qemu-user-static \
 && curl -fsSL -o /tmp/chrome.deb https://dl.google.com/linux/direct/google-chrome-stable_current_amd64.deb \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends /tmp/chrome.deb \
 && rm -rf /tmp/chrome.deb /var/lib/apt/lists/* \
 && docker buildx version \
 && docker compose version
ENV CHROME_PATH=/usr/bin/google-chrome

USER gitpod
# Node 24 LTS (the major of .node-version) and the pnpm version package.json pins ("packageManager").
RUN bash -lc "source \$HOME/.nvm/nvm.sh && nvm install 24 && nvm alias default 24 && npm install -g pnpm@10.34.9"
