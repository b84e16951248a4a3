# vgpo-server image. Build: docker build -t vgpo . ; run: docker run -p 8080:8080 vgpo
# The package lists match scripts/install-deps.sh (build) and their runtime halves (run).

FROM swift:6.3-bookworm AS build
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        pkg-config libopenblas-dev libmicrohttpd-dev libsndfile1-dev libsamplerate0-dev libespeak-ng-dev libsqlite3-dev libfftw3-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --static-swift-stdlib --product vgpo-server

FROM debian:bookworm-slim
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libopenblas0-pthread libmicrohttpd12 libsndfile1 libsamplerate0 libespeak-ng1 libsqlite3-0 libfftw3-single3 espeak-ng-data \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/.build/release/vgpo-server /app/vgpo-server
COPY configs ./configs
COPY models ./models
COPY public ./public
EXPOSE 8080
ENTRYPOINT ["/app/vgpo-server", "--config", "/app/configs/server.json", "--host", "0.0.0.0"]
