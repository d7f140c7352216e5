# porter's container image: `make image` (docker or podman).
#
# Build stage: Debian 12 with the build dependencies (.ci/deps build), then
# the same `make build` as everywhere else. It also lists the Debian packages
# that hold the binary's shared libraries (ldd, then dpkg -S), so the
# runtime stage installs exactly those: today libcaf-core0.17, libfmt9,
# libnl-3-200, libnl-route-3-200, libspdlog1.10, libssl3, libyaml-cpp0.7
# (libc6, libstdc++6, libgcc-s1 are in the slim image already).
FROM debian:bookworm AS build
WORKDIR /src
COPY .ci/deps .ci/deps
RUN .ci/deps build
COPY . .
RUN make build BUILD=/build DEPS_SET=build \
 && install -D -s /build/actors/porter /out/porter \
 && for lib in $(ldd /out/porter | awk '/=> \// { print $3 }'); do \
      dpkg -S "$lib" 2>/dev/null || dpkg -S "$(readlink -f "$lib")"; \
    done | cut -d: -f1 | sort -u >/out/runtime-packages \
 && cat /out/runtime-packages

FROM debian:bookworm-slim
COPY --from=build /out/runtime-packages /tmp/runtime-packages
RUN apt-get update -qq \
 && xargs -a /tmp/runtime-packages apt-get install -y -qq --no-install-recommends \
 && rm -rf /var/lib/apt/lists/* /tmp/runtime-packages
COPY --from=build /out/porter /usr/local/bin/porter
# The manager runs as this user; the agent's DaemonSet overrides it with
# root holding NET_ADMIN only (config/agent/daemonset.yaml says why).
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/porter"]
CMD ["--help"]
